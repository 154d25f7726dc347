"""Issue 20, item 4: `sinhke backup` and `sinhke restore` round trip with the diary intact
(SQLite: the online backup API; PostgreSQL: pg_dump and pg_restore), and the documented
upgrade (back up, `sinhke db upgrade`) from every earlier schema with data in it."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import alembic_config, head_revision
from bot.db import create_engine as create_async
from models import Entry, Household
from tests.cli.test_cli import sinhke
from tests.dialog import Dialog, MemoryChannel, joined_household, make_app, seed_programme

DIARY = ("bán heo 3 triệu", "mua phân 500k", "tiền điện 230")


def _sync(url: str) -> str:
    backend = make_url(url).get_backend_name()
    driver = "sqlite" if backend == "sqlite" else "postgresql+psycopg"
    return make_url(url).set(drivername=driver).render_as_string(hide_password=False)


@pytest.fixture
def scratch(tmp_path: Path, database_url: str) -> Iterator[str]:
    """An empty database of the test's backend, beside the shared one."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"{url.database}_scratch"
    admin = create_engine(_sync(url.set(database="postgres").render_as_string(False)))
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def config_for(path: Path, url: str) -> Path:
    path.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    return path


async def diary(url: str) -> list[tuple[str, int, str]]:
    engine = create_async(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Household.code, Entry.amount, Entry.text)
                .join(Household, Entry.household_id == Household.id)
                .order_by(Entry.id)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]
    finally:
        await engine.dispose()


def needs_tools(url: str) -> None:
    if url.startswith("postgresql") and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("pg_dump and pg_restore are not on this machine")


async def test_backup_and_restore_keep_the_diary(
    tmp_path: Path,
    settings: Settings,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    scratch: str,
) -> None:
    needs_tools(database_url)
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "601")
    await joined_household(dialog, programme.households[0].invite)
    for text in DIARY:
        await dialog.say(text)
    written = await diary(database_url)
    assert [amount for _code, amount, _text in written] == [3_000_000, 500_000, 230_000]

    live = config_for(tmp_path / "live.toml", database_url)
    backup = tmp_path / "sinhke.backup"
    made = await asyncio.to_thread(sinhke, "backup", "--out", str(backup), config=live)
    assert made.returncode == 0, made.stderr
    assert backup.stat().st_size > 0

    # Restored into an empty database: the same diary, the schema at head, ready to run.
    target = config_for(tmp_path / "target.toml", scratch)
    restored = await asyncio.to_thread(sinhke, "restore", str(backup), config=target)
    assert restored.returncode == 0, restored.stderr
    assert await diary(scratch) == written
    checked = await asyncio.to_thread(sinhke, "db", "current", config=target)
    assert f"database: {head_revision()}" in checked.stdout

    # Over a database with households in it, only when asked to.
    refused = await asyncio.to_thread(sinhke, "restore", str(backup), config=target)
    assert refused.returncode == 2 and "--force" in refused.stderr
    async with sessions() as session, session.begin():
        await session.execute(Entry.__table__.delete())
    assert await diary(database_url) == []
    forced = await asyncio.to_thread(sinhke, "restore", str(backup), "--force", config=live)
    assert forced.returncode == 0, forced.stderr
    assert await diary(database_url) == written


async def test_a_file_that_is_no_backup_is_refused(tmp_path: Path, scratch: str) -> None:
    needs_tools(scratch)
    junk = tmp_path / "notes.backup"
    junk.write_text("không phải bản sao lưu", encoding="utf-8")
    target = config_for(tmp_path / "target.toml", scratch)
    result = await asyncio.to_thread(sinhke, "restore", str(junk), config=target)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1  # one line, no traceback
    missing = await asyncio.to_thread(sinhke, "restore", str(tmp_path / "nope"), config=target)
    assert missing.returncode == 2 and "file not found" in missing.stderr


def earlier_revisions() -> list[str]:
    """Every revision before head, oldest first: each was the schema of some release."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revisions = [script.revision for script in scripts.walk_revisions()]
    return list(reversed(revisions))[:-1]


def seed_old_schema(url: str) -> None:
    """A commune, an officer, a household and its diary, written with the tables as they
    were at that revision (reflected, no model of today's code)."""
    engine = create_engine(_sync(url))
    try:
        tables = MetaData()
        tables.reflect(engine)
        now = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
        with engine.begin() as connection:
            connection.execute(
                tables.tables["area"].insert(),
                {"id": 1, "code": "C1", "name": "Xã", "kind": "commune"},
            )
            connection.execute(
                tables.tables["officer"].insert(),
                {"id": 1, "code": "CB1", "name": "Cán bộ", "area_id": 1, "role": "officer",
                 "created_at": now},
            )  # fmt: skip
            connection.execute(
                tables.tables["household"].insert(),
                {"id": 1, "code": "HO1", "head_name": "Hộ Một", "members": 4, "area_id": 1,
                 "status": "poor", "urban": False, "officer_id": 1, "created_at": now},
            )  # fmt: skip
            for n, (amount, kind, category, text) in enumerate(
                (
                    (3_000_000, "income", "livestock", "bán heo 3 triệu"),
                    (500_000, "expense", "farming", "mua phân 500k"),
                ),
                start=1,
            ):
                connection.execute(
                    tables.tables["entry"].insert(),
                    {"id": n, "household_id": 1, "kind": kind, "amount": amount,
                     "category": category, "day": date(2026, 10, n), "text": text,
                     "recorded_at": now},
                )  # fmt: skip
    finally:
        engine.dispose()


@pytest.mark.parametrize("previous", earlier_revisions())
async def test_upgrade_from_an_earlier_schema_keeps_the_diary(
    tmp_path: Path, scratch: str, previous: str
) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(scratch), previous)
    seed_old_schema(scratch)
    config = config_for(tmp_path / "config.toml", scratch)
    # The documented order: back up, upgrade, check.
    needs_tools(scratch)
    backup = await asyncio.to_thread(sinhke, "backup", "--out", str(tmp_path / "b"), config=config)
    assert backup.returncode == 0, backup.stderr
    upgraded = await asyncio.to_thread(sinhke, "db", "upgrade", config=config)
    assert upgraded.returncode == 0, upgraded.stderr
    assert await diary(scratch) == [
        ("HO1", 3_000_000, "bán heo 3 triệu"),
        ("HO1", 500_000, "mua phân 500k"),
    ]
    checked = await asyncio.to_thread(sinhke, "check", config=config)
    assert f"ok    migrations: at head ({head_revision()})" in checked.stdout
    listed = await asyncio.to_thread(sinhke, "household", "list", config=config)
    assert "HO1" in listed.stdout and "Hộ Một" in listed.stdout
