"""`sinhke check`: one line per part, right or not, and exit 1 when any is wrong."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.db import head_revision
from tests.cli.test_cli import sinhke
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin


def telegram_config(
    path: Path, database_url: str, api_base: str, token: str, extra: str = ""
) -> Path:
    path.write_text(
        f'[database]\nurl = "{database_url}"\n\n[telegram]\ntoken = "{token}"\n'
        f'api_base = "{api_base}"\n{extra}',
        encoding="utf-8",
    )
    return path


async def test_a_deployment_that_is_right(tmp_path: Path, database_url: str) -> None:
    async with TelegramStandin() as telegram:
        config = telegram_config(
            tmp_path / "c.toml", database_url, telegram.base_url, DEFAULT_TOKEN
        )
        result = await asyncio.to_thread(sinhke, "check", config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "ok    config",
        "ok    database",
        "ok    migrations",
        "ok    telegram",
        "ok    scheduler",
    ]
    assert f"at head ({head_revision()})" in lines[2]
    assert "@sinhke_standin_bot long polling" in lines[3]
    assert DEFAULT_TOKEN not in result.stdout


async def test_a_wrong_token_and_a_webhook_nobody_can_call(
    tmp_path: Path, database_url: str
) -> None:
    async with TelegramStandin() as telegram:
        wrong = telegram_config(tmp_path / "w.toml", database_url, telegram.base_url, "999:WRONG")
        result = await asyncio.to_thread(sinhke, "check", config=wrong)
        hook = telegram_config(
            tmp_path / "h.toml",
            database_url,
            telegram.base_url,
            DEFAULT_TOKEN,
            'mode = "webhook"\n[telegram.webhook]\nsecret = "s3cret-s3cret"\n'
            'public_url = "http://127.0.0.1:9"\n',
        )
        unreachable = await asyncio.to_thread(sinhke, "check", config=hook)
    assert result.returncode == 1
    assert "FAIL  telegram: cannot use the token" in result.stdout
    assert "999:WRONG" not in result.stdout
    assert unreachable.returncode == 1
    assert "FAIL  webhook: http://127.0.0.1:9/" in unreachable.stdout
    assert "not reachable from here" in unreachable.stdout


def test_a_database_behind_and_a_bad_config(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/new.db"\n')
    result = sinhke("check", config=empty)
    assert result.returncode == 1
    assert "FAIL  migrations: at none (empty database)" in result.stdout
    assert "run `sinhke db upgrade`" in result.stdout
    assert "FAIL  channels: none configured" in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[database]\nurl = 5\n")
    result = sinhke("check", config=bad)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"FAIL  config: {bad}: [database] url: Input should be a valid string"
    ]
