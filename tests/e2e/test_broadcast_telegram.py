"""Issue 8 end to end: paced to a stand-in that enforces Telegram's limits, resumable after
kill -9, and scheduled — the real `sinhke run` and `sinhke broadcast send`."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Outbox
from tests.cli.test_cli import ROOT
from tests.dialog import seed_joined_households, seed_programme
from tests.e2e.botprocess import BotProcess, wait_until, write_config
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin


async def send_notice(config: Path, *args: str) -> dict[str, object]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--config",
        str(config),
        "broadcast",
        "send",
        "--json",
        *args,
        cwd=str(ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    result: dict[str, object] = json.loads(out)
    return result


def notices(telegram: TelegramStandin, text: str) -> Counter[object]:
    return Counter(r.chat_id for r in telegram.sent if r.method == "sendMessage" and r.text == text)


async def test_pacing_honours_429_and_everyone_gets_it_once(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed_programme(sessions, households=0)
    chats = await seed_joined_households(sessions, 40, first_address=1000)
    # The bot is told to go faster than the stand-in allows, so it meets 429s.
    async with TelegramStandin(enforce_rate=True, rate_global=20) as telegram:
        config = write_config(
            tmp_path / "c.toml",
            database_url=database_url,
            api_base=telegram.base_url,
            token=DEFAULT_TOKEN,
        )
        config.write_text(
            config.read_text().replace("[telegram]\n", "[telegram]\nrate_global = 60\n"),
            encoding="utf-8",
        )
        async with BotProcess(config) as bot:
            sent = await send_notice(config, "--text", "Họp dân 19 giờ", "--to", "all")
            assert sent["recipients"] == 40
            await wait_until(lambda: len(notices(telegram, "Họp dân 19 giờ")) == 40, 60)
            await asyncio.sleep(1)
            counts = notices(telegram, "Họp dân 19 giờ")
            assert set(counts) == set(chats) and set(counts.values()) == {1}, bot.output()
            assert telegram.rejected_429 > 0  # the limit was met, and honoured
            assert await bot.stop() == 0


async def test_kill_during_a_broadcast_resumes_without_skipping(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed_programme(sessions, households=0)
    chats = await seed_joined_households(sessions, 120, first_address=2000)
    async with TelegramStandin(enforce_rate=True) as telegram:
        config = write_config(
            tmp_path / "c.toml",
            database_url=database_url,
            api_base=telegram.base_url,
            token=DEFAULT_TOKEN,
        )
        async with BotProcess(config) as bot:
            await send_notice(config, "--text", "Nhận giống lúa", "--to", "area:C1")
            await wait_until(lambda: len(notices(telegram, "Nhận giống lúa")) >= 30, 30)
            await bot.kill()
            await bot.start()
            await wait_until(lambda: len(notices(telegram, "Nhận giống lúa")) == 120, 60)
            await asyncio.sleep(1)
            counts = notices(telegram, "Nhận giống lúa")
            assert set(counts) == set(chats)
            # Telegram has no idempotency key: the one message in flight at the kill may
            # be sent again after its lease; nothing else is.
            assert sum(counts.values()) - len(counts) <= 1, counts.most_common(3)
            async with sessions() as session:
                pending = await session.scalar(
                    select(func.count(Outbox.id)).where(Outbox.status != "sent")
                )
            assert pending == 0


async def test_scheduled_broadcast_goes_out_at_its_time(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed_programme(sessions, households=0)
    await seed_joined_households(sessions, 3, first_address=3000)
    async with TelegramStandin() as telegram:
        config = write_config(
            tmp_path / "c.toml",
            database_url=database_url,
            api_base=telegram.base_url,
            token=DEFAULT_TOKEN,
        )
        async with BotProcess(config) as bot:
            at = datetime.now(UTC) + timedelta(seconds=12)
            sent = await send_notice(config, "--text", "Tiêm phòng cho heo", "--at", at.isoformat())
            assert sent["status"] == "scheduled"
            await asyncio.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds() - 1))
            assert not notices(telegram, "Tiêm phòng cho heo")
            await wait_until(lambda: len(notices(telegram, "Tiêm phòng cho heo")) == 3, 20)
            assert await bot.stop() == 0
