"""Issue 10, a province on PostgreSQL: several `sinhke run` processes share one database;
one leads (receives, runs the scheduler), all handle and send; nothing is handled twice;
when the leader dies another takes over."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry
from tests.dialog import seed_joined_households, seed_programme
from tests.e2e.botprocess import BotProcess, wait_until, write_config
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin


def replies(telegram: TelegramStandin) -> int:
    return sum(1 for r in telegram.sent if "Đã ghi" in (r.text or ""))


async def test_two_processes_one_leader_nothing_twice(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("several processes share a PostgreSQL database (SQLite serves one)")
    await seed_programme(sessions, households=0)
    chats = await seed_joined_households(sessions, 6, first_address=4000)
    async with TelegramStandin() as telegram:
        processes = []
        for name in ("a", "b"):
            config = write_config(
                tmp_path / f"{name}.toml",
                database_url=database_url,
                api_base=telegram.base_url,
                token=DEFAULT_TOKEN,
            )
            config.write_text(config.read_text().replace("enabled = false", "enabled = true"))
            processes.append(BotProcess(config))
        async with processes[0] as first, processes[1] as second:
            await wait_until(lambda: "leading" in first.output() + second.output(), 30)
            await asyncio.sleep(1)
            for n in range(60):
                telegram.push_text(chats[n % 6], f"bán gà {n + 1}k")
            await wait_until(lambda: replies(telegram) >= 60, 60)
            logs = [first.output(), second.output()]
            assert sum("leading: receiving updates" in log for log in logs) == 1
            assert sum("scheduler started" in log for log in logs) == 1

            # The leader dies; the other process leads within seconds and nothing is lost.
            leader, other = (first, second) if "leading" in logs[0] else (second, first)
            await leader.kill()
            await wait_until(lambda: "leading" in other.output(), 30)
            for n in range(60, 72):
                telegram.push_text(chats[n % 6], f"bán gà {n + 1}k")
            await wait_until(lambda: replies(telegram) >= 72, 60)
            await asyncio.sleep(2)  # anything handled twice would show up now
            async with sessions() as session:
                amounts = sorted((await session.scalars(select(Entry.amount))).all())
            assert amounts == [(n + 1) * 1000 for n in range(72)]
            assert await other.stop() == 0
