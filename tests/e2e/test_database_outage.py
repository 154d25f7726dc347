"""Issue 10, faults: PostgreSQL unreachable for a while, behind a TCP proxy the test cuts.

Nothing a household wrote is lost or recorded twice; replies come when the database is
back; the log says so in two lines; a chat hears of the delay only when it lasts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry, Inbound, Outbox
from tests.dialog import seed_joined_households, seed_programme
from tests.e2e.botprocess import BotProcess, wait_until, write_config
from tests.e2e.tcp_proxy import TcpProxy
from tests.e2e.test_telegram_diary import to_chat
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

NOTICE = "hệ thống đang chậm"
OUTAGE_WARNING = "database: unreachable"
BACK = "database: working again"


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("cuts a PostgreSQL connection; SQLite has no server to lose")
    async with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as running:
        yield running


def bot_via(
    proxy: TcpProxy,
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    name: str = "bot",
    **env: str,
) -> BotProcess:
    """`sinhke run` whose database is reached through ``proxy``."""
    url = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    config = write_config(
        tmp_path / f"{name}.toml",
        database_url=url.render_as_string(hide_password=False),
        api_base=telegram.base_url,
        token=DEFAULT_TOKEN,
    )
    return BotProcess(config, env=env)


def answered(telegram: TelegramStandin, chats: list[int], since: int) -> int:
    return sum(
        1 for r in telegram.sent[since:] if r.chat_id in chats and "Đã ghi" in (r.text or "")
    )


def notices(telegram: TelegramStandin, chat: int) -> int:
    return sum(1 for r in telegram.messages_to(chat) if NOTICE in (r.text or ""))


async def counts(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
    """Entries, stored updates, updates still pending."""
    async with sessions() as session:
        entries = await session.scalar(select(func.count(Entry.id)))
        stored = await session.scalar(select(func.count(Inbound.id)))
        pending = await session.scalar(
            select(func.count(Inbound.id)).where(Inbound.status == "pending")
        )
    return int(entries or 0), int(stored or 0), int(pending or 0)


async def outbox_statuses(
    sessions: async_sessionmaker[AsyncSession], expected: list[str]
) -> list[str]:
    """The outbox rows' statuses once they are as ``expected``, or as they are after 5 s
    (the bot records a send a moment after the stand-in saw it)."""
    for _ in range(50):
        async with sessions() as session:
            statuses = (await session.scalars(select(Outbox.status).order_by(Outbox.id))).all()
        if statuses == expected:
            break
        await asyncio.sleep(0.1)
    return list(statuses)


async def test_ten_seconds_without_the_database_lose_nothing_and_alarm_nobody(
    proxy: TcpProxy,
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_programme(sessions)
    chats = await seed_joined_households(sessions, 2, first_address=8201)
    async with bot_via(proxy, tmp_path, database_url, telegram) as bot:
        since = len(telegram.sent)
        telegram.push_text(chats[0], "bán heo 3 triệu")
        await telegram.wait_for(to_chat(chats[0], "Đã ghi"), timeout=30, since=since)

        # The database goes away; both households keep writing for the 10 s it is gone.
        await proxy.cut()
        written = 1
        for second in range(5):
            for chat in chats:
                telegram.push_text(chat, f"mua phân {second + 1}00k")
                written += 1
            await asyncio.sleep(2)
        assert answered(telegram, chats, since) == 1  # nothing could be recorded meanwhile
        proxy.restore()

        await wait_until(lambda: answered(telegram, chats, since) == written, timeout=20)
        assert await counts(sessions) == (written, written, 0)
        await asyncio.sleep(1)  # a second answer to any of them would come by now
        assert answered(telegram, chats, since) == written
        assert all(notices(telegram, chat) == 0 for chat in chats)  # 10 s is not a delay
        assert await bot.stop() == 0
    log = bot.output()
    assert log.count(OUTAGE_WARNING) == 1, log
    assert log.count(BACK) == 1, log
    assert "Traceback" not in log, log


async def test_a_long_outage_is_told_once_to_each_chat_kept_waiting(
    proxy: TcpProxy,
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_programme(sessions)
    chats = await seed_joined_households(sessions, 2, first_address=8301)
    lowered = {"SINHKE_DATABASE__OUTAGE_NOTICE_AFTER": "2"}
    async with bot_via(proxy, tmp_path, database_url, telegram, **lowered) as bot:
        since = len(telegram.sent)
        telegram.push_text(chats[0], "bán gà 500k")
        await telegram.wait_for(to_chat(chats[0], "Đã ghi"), timeout=30, since=since)

        await proxy.cut()
        for chat in chats:
            telegram.push_text(chat, "tiền điện 230k")
        # Past the lowered threshold each chat kept waiting is told, once, while it lasts.
        await wait_until(lambda: all(notices(telegram, chat) == 1 for chat in chats), timeout=15)
        await asyncio.sleep(4)
        assert [notices(telegram, chat) for chat in chats] == [1, 1]
        assert answered(telegram, chats, since) == 1
        proxy.restore()

        await wait_until(lambda: answered(telegram, chats, since) == 3, timeout=20)
        assert await counts(sessions) == (3, 3, 0)
        assert [notices(telegram, chat) for chat in chats] == [1, 1]
        assert await bot.stop() == 0
    log = bot.output()
    assert log.count(OUTAGE_WARNING) == 1, log
    assert "Traceback" not in log, log


async def test_a_leader_cut_off_from_the_database_hands_over_the_lead(
    proxy: TcpProxy,
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Its lock went with its connection: another process leads, and the old leader, back
    on the database, no longer polls beside it."""
    await seed_programme(sessions)
    chats = await seed_joined_households(sessions, 2, first_address=8501)
    url = make_url(database_url)
    async with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as second_proxy:
        proxies = [proxy, second_proxy]
        bots = [
            bot_via(p, tmp_path, database_url, telegram, name=f"bot{n}")
            for n, p in enumerate(proxies)
        ]
        async with bots[0], bots[1]:
            await wait_until(lambda: all("lane(s) started" in b.output() for b in bots), 30)
            await wait_until(lambda: any("leading" in b.output() for b in bots), timeout=10)
            n = 0 if "leading" in bots[0].output() else 1
            leader, other, cut = bots[n], bots[1 - n], proxies[n]

            await cut.cut()
            await wait_until(lambda: "leading" in other.output(), timeout=15)
            since = len(telegram.sent)
            for chat in chats:
                telegram.push_text(chat, "bán gà 100k")
            await wait_until(lambda: answered(telegram, chats, since) == 2, timeout=20)

            # Back on the database, the old leader finds the lead taken and stands by.
            cut.restore()
            await wait_until(lambda: "took the lead; standing by" in leader.output(), 15)
            seen = [len(b.output()) for b in bots]
            for chat in chats:
                telegram.push_text(chat, "mua phân 200k")
            await wait_until(lambda: answered(telegram, chats, since) == 4, timeout=20)
            await asyncio.sleep(2)  # two pollers would be at odds by now
            assert await counts(sessions) == (4, 4, 0)
            assert answered(telegram, chats, since) == 4
            for b, start in zip(bots, seen, strict=True):
                assert "Conflict" not in b.output()[start:], b.output()
            assert leader.output().count("leading: receiving updates") == 1
            assert [await b.stop() for b in bots] == [0, 0]


async def test_stopped_during_an_outage_it_exits_cleanly_and_loses_nothing(
    proxy: TcpProxy,
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_programme(sessions)
    [chat] = await seed_joined_households(sessions, 1, first_address=8601)
    bot = bot_via(proxy, tmp_path, database_url, telegram)
    async with bot:
        telegram.push_text(chat, "bán heo 3 triệu")
        await telegram.wait_for(to_chat(chat, "3.000.000"), timeout=30)
        assert await outbox_statuses(sessions, ["sent"]) == ["sent"]
        await proxy.cut()
        telegram.push_text(chat, "mua phân 500k")
        await wait_until(lambda: OUTAGE_WARNING in bot.output(), timeout=10)
        await asyncio.sleep(1)
        assert await asyncio.wait_for(bot.stop(), 10) == 0
    assert "Traceback" not in bot.output(), bot.output()

    # The message was never acknowledged: the next run, on a database back, answers it.
    proxy.restore()
    async with bot:
        await telegram.wait_for(to_chat(chat, "500.000"), timeout=30)
        assert await counts(sessions) == (2, 2, 0)
        assert await outbox_statuses(sessions, ["sent", "sent"]) == ["sent", "sent"]
        assert await bot.stop() == 0
    assert len(telegram.messages_to(chat)) == 2
