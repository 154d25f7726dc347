"""Issue 10, faults: SQLite's disk full (see tests/e2e/full_disk.py for how it fills).

An update that cannot be stored stays with the platform, unacknowledged; the log says once
and plainly that the disk is full; the household gets no traceback and no apology, only a
word that its message waits if that lasts; once there is space again everything is handled
once, and the database is intact.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dialog import seed_joined_households, seed_programme
from tests.e2e.botprocess import BotProcess, wait_until, write_config
from tests.e2e.full_disk import FLAG
from tests.e2e.test_database_outage import NOTICE, counts
from tests.e2e.test_telegram_diary import to_chat
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

# Long enough to need pages of its own: no room left in a page will take it.
LONG = "mua phân 500k, ghi chú cho cán bộ xã: " + "phân bón cho ruộng lúa vụ đông xuân " * 90


def sqlite_file(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        pytest.skip("fills SQLite's disk; PostgreSQL's disk is the server's")
    assert url.database
    return Path(url.database)


def sqlite_says(path: Path, statement: str) -> str | None:
    """Run one statement on its own connection; its first value, if it returns one."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        row = connection.execute(statement).fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


async def test_a_full_disk_holds_the_updates_and_harms_nothing(
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    path = sqlite_file(database_url)
    await seed_programme(sessions)
    [chat] = await seed_joined_households(sessions, 1, first_address=8401)
    # Emptying the tables for this test left free pages, room a full disk would not have.
    sqlite_says(path, "VACUUM")
    full = tmp_path / "disk-full"
    config = write_config(
        tmp_path / "config.toml",
        database_url=database_url,
        api_base=telegram.base_url,
        token=DEFAULT_TOKEN,
    )
    env = {FLAG: str(full), "SINHKE_DATABASE__OUTAGE_NOTICE_AFTER": "2"}
    async with BotProcess(config, env=env, module="tests.e2e.full_disk") as bot:
        telegram.push_text(chat, "bán heo 3 triệu")
        await telegram.wait_for(to_chat(chat, "3.000.000"), timeout=30)
        before = len(telegram.messages_to(chat))

        full.touch()
        telegram.push_text(chat, LONG)
        await wait_until(lambda: "the disk is full" in bot.output(), timeout=10)
        telegram.push_text(chat, "tiền điện 230k")  # waits at the platform behind it
        # Held past the (lowered) threshold, the household is told once that it waits.
        await telegram.wait_for(to_chat(chat, NOTICE), timeout=10)
        await asyncio.sleep(2)
        assert await counts(sessions) == (1, 1, 0)  # nothing stored, nothing half-stored
        assert telegram.pending_updates == 2  # neither acknowledged
        meanwhile = [r.text or "" for r in telegram.messages_to(chat)[before:]]
        assert len(meanwhile) == 1 and NOTICE in meanwhile[0], meanwhile  # nothing but that

        full.unlink()  # space again
        await telegram.wait_for(to_chat(chat, "230"), timeout=20)
        await telegram.wait_for(to_chat(chat, "500.000"), timeout=5)
        assert await counts(sessions) == (3, 3, 0)
        await asyncio.sleep(1)  # a second answer would come by now
        texts = [r.text or "" for r in telegram.messages_to(chat)[before:]]
        assert len(texts) == 3 and sum(NOTICE in text for text in texts) == 1, texts
        assert telegram.pending_updates == 0
        assert await bot.stop() == 0
    assert sqlite_says(path, "PRAGMA integrity_check") == "ok"
    log = bot.output()
    assert log.count("the disk is full") == 1, log
    assert log.count("database: working again") == 1, log
    assert "Traceback" not in log, log
