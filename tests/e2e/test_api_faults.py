"""Issue 10, faults: the Bot API answering 500 for a while; replies come late, not lost."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry, Outbox
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess
from tests.e2e.test_telegram_diary import join, to_chat
from tests.standins.telegram import TelegramStandin

HOME = 8101


async def test_server_errors_are_retried_with_backoff(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    await bot.start()
    await join(telegram, HOME, programme.households[0].invite)
    telegram.fail_next("sendMessage", 500, description="Internal Server Error", times=2)
    since = len(telegram.sent)
    telegram.push_text(HOME, "bán heo 3 triệu")
    reply = await telegram.wait_for(to_chat(HOME, "Đã ghi"), since=since, timeout=30)
    assert "3.000.000" in (reply.text or "")
    assert len([r for r in telegram.failed if r.method == "sendMessage"]) == 2
    for _ in range(50):  # the stand-in saw the send a moment before the bot recorded it
        async with sessions() as session:
            last = (await session.scalars(select(Outbox).order_by(Outbox.id.desc()))).first()
            entries = await session.scalar(select(func.count(Entry.id)))
        if last is not None and last.status == "sent":
            break
        await asyncio.sleep(0.1)
    assert entries == 1
    assert last is not None and (last.status, last.attempts) == ("sent", 3)
    assert await bot.stop() == 0
