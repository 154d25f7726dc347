"""The `sinhke` command as an operator runs it: a real process, a real database."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.config import load_settings
from bot.db import create_engine
from models import Household

ROOT = Path(__file__).resolve().parents[2]


def sinhke(
    *args: str,
    config: Path | None = None,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bot"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(
        command + list(args),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


@pytest.fixture
def config(tmp_path: Path, database_url: str, sessions: object) -> Path:
    """A config on the (emptied, migrated) test database."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return path


def test_help_lists_the_commands() -> None:
    result = sinhke("--help")
    assert result.returncode == 0
    for name in ("db", "run", "demo", "area", "officer", "household", "parse"):
        assert name in result.stdout


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[database]\nurll = 'x'\n", encoding="utf-8")
    result = sinhke("db", "current", config=bad)
    assert result.returncode == 2
    assert result.stderr.strip() == f"sinhke: {bad}: [database] urll: unknown key"


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[database]\nurl = "postgresql+asyncpg://nobody@127.0.0.1:1/none"\n')
    result = sinhke("db", "current", config=path)
    assert result.returncode == 2
    assert "database unreachable" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_refuses_a_database_behind_head(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/empty.db"\n[telegram]\ntoken = "1:x"\n'
    )
    result = sinhke("run", config=path)
    assert result.returncode == 2
    assert "run `sinhke db upgrade` first" in result.stderr


def test_db_upgrade_on_a_new_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/sub/new.db"\n')
    assert sinhke("db", "upgrade", config=path).returncode == 0
    current = sinhke("db", "current", config=path)
    assert current.returncode == 0
    database, code = current.stdout.split("  ")
    assert database.split(": ")[1] == code.split(": ")[1].strip()


def _setup_area(config: Path) -> None:
    assert (
        sinhke(
            "area", "add", "--code", "P", "--name", "Tỉnh", "--kind", "province", config=config
        ).returncode
        == 0
    )
    result = sinhke(
        "area",
        "add",
        "--code",
        "C",
        "--name",
        "Xã",
        "--kind",
        "commune",
        "--parent",
        "P",
        config=config,
    )
    assert result.returncode == 0, result.stderr


def test_officer_and_household_add_print_json_with_invite(config: Path) -> None:
    _setup_area(config)
    officer = json.loads(
        sinhke("officer", "add", "--name", "Thu", "--area", "C", "--json", config=config).stdout
    )
    household = json.loads(
        sinhke(
            "household",
            "add",
            "--name",
            "Ba",
            "--members",
            "4",
            "--area",
            "C",
            "--json",
            config=config,
        ).stdout
    )
    assert officer["code"].startswith("CB") and len(officer["invite"]) == 9
    assert household["code"].startswith("HO") and household["invite"] != officer["invite"]
    wrong = sinhke(
        "household", "add", "--name", "X", "--members", "2", "--area", "NOPE", config=config
    )
    assert wrong.returncode == 2 and "no area with code 'NOPE'" in wrong.stderr


def test_import_csv_and_a_bad_row_rolls_back(config: Path, tmp_path: Path) -> None:
    _setup_area(config)
    good = tmp_path / "roster.csv"
    good.write_text(
        "name,members,area,status,urban\nAn,3,C,poor,\nBình,5,C,near_poor,x\n", encoding="utf-8"
    )
    result = sinhke("household", "import", str(good), "--json", config=config)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["name"] for row in rows] == ["An", "Bình"]

    bad = tmp_path / "bad.csv"
    bad.write_text("name,members,area\nCường,2,C\nDũng,hai,C\n", encoding="utf-8")
    result = sinhke("household", "import", str(bad), config=config)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"sinhke: {bad}: line 3: members must be a whole number, not 'hai'"
    )
    names = sinhke("household", "import", str(good), "--json", config=config)
    assert [json.loads(line)["name"] for line in names.stdout.splitlines()] == ["An", "Bình"]
    # Cường (line 2 of the bad file) was rolled back with the rest of that import.
    assert rows_named(config, "Cường") == 0 and rows_named(config, "An") == 2


def rows_named(config: Path, name: str) -> int:
    """Households with this head's name, counted through a fresh process's database view."""

    async def count() -> int:
        engine = create_engine(load_settings(config).database.url)
        try:
            async with engine.connect() as connection:
                return int(
                    await connection.scalar(
                        select(func.count())
                        .select_from(Household)
                        .where(Household.head_name == name)
                    )
                    or 0
                )
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_import_xlsx(config: Path, tmp_path: Path) -> None:
    _setup_area(config)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "members", "area", "hamlet"])
    sheet.append(["Em", 4, "C", "Ấp 3"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    result = sinhke("household", "import", str(path), "--json", config=config)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Em"


def test_a_second_invite_for_a_household(config: Path) -> None:
    _setup_area(config)
    first = json.loads(
        sinhke(
            "household",
            "add",
            "--name",
            "Ba",
            "--members",
            "4",
            "--area",
            "C",
            "--json",
            config=config,
        ).stdout
    )
    second = json.loads(
        sinhke("household", "invite", first["code"], "--json", config=config).stdout
    )
    assert second["code"] == first["code"] and second["invite"] != first["invite"]
    missing = sinhke("household", "invite", "HO99999", config=config)
    assert missing.returncode == 2 and "no household with code 'HO99999'" in missing.stderr


def test_content_check_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "vi").mkdir()
    bad = tmp_path / "vi" / "bai.md"
    bad.write_text("---\ntitle: Bài\ntopic: nowhere\n---\nNội dung.\n", encoding="utf-8")
    result = sinhke("content", "check", "--folder", str(tmp_path))
    assert result.returncode == 1
    assert f"{bad}:3:" in result.stdout  # the topic line
    good = sinhke("content", "check")
    assert good.returncode == 0 and "content OK" in good.stdout
