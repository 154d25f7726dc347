"""Issue 10, faults: the Bot API answering 500, or not answering, for a while; replies come
late, not lost and not doubled."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry, Outbox
from tests.dialog import seed_joined_households, seed_programme
from tests.e2e.botprocess import BotProcess, wait_until
from tests.e2e.test_telegram_diary import join, to_chat
from tests.standins.telegram import TelegramStandin

HOME = 8101
# Telegram's timeouts shortened, so that a call hanging a few seconds outlasts them.
QUICK_TIMEOUTS = {"SINHKE_TELEGRAM__REQUEST_TIMEOUT": "2", "SINHKE_TELEGRAM__POLL_TIMEOUT": "1"}


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
    last = await last_outbox_once_sent(sessions)
    assert await entry_count(sessions) == 1
    assert last is not None and (last.status, last.attempts) == ("sent", 3)
    assert await bot.stop() == 0


async def last_outbox_once_sent(sessions: async_sessionmaker[AsyncSession]) -> Outbox | None:
    """The newest outbox row once the bot recorded it sent, or as it is after 5 s (the
    stand-in sees a send a moment before the bot records it)."""
    for _ in range(50):
        async with sessions() as session:
            last = (await session.scalars(select(Outbox).order_by(Outbox.id.desc()))).first()
        if last is not None and last.status == "sent":
            break
        await asyncio.sleep(0.1)
    return last


async def entry_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count(Entry.id))) or 0)


def replies_with(telegram: TelegramStandin, chat: int, needle: str) -> int:
    return sum(1 for r in telegram.messages_to(chat) if needle in (r.text or ""))


async def test_a_send_that_hangs_is_late_or_given_up_and_made_again_once(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed_programme(sessions)
    [chat] = await seed_joined_households(sessions, 1, first_address=8111)
    bot.env.update(QUICK_TIMEOUTS)
    await bot.start()
    telegram.push_text(chat, "bán heo 3 triệu")
    await telegram.wait_for(to_chat(chat, "3.000.000"), timeout=30)

    # Held under the request timeout: the reply is late, sent at the first try.
    telegram.hang_next("sendMessage", 0.5)
    telegram.push_text(chat, "mua phân 500k")
    await telegram.wait_for(to_chat(chat, "500.000"), timeout=10)

    # Held past it: the bot gives up on the call (which never got through) and makes it
    # again after its backoff; the household gets the reply once.
    telegram.hang_next("sendMessage", 4.0)
    telegram.push_text(chat, "tiền điện 230k")
    await telegram.wait_for(to_chat(chat, "230.000"), timeout=15)
    await wait_until(lambda: telegram.abandoned["sendMessage"] == 1, timeout=10)
    last = await last_outbox_once_sent(sessions)
    assert last is not None and (last.status, last.attempts) == ("sent", 2)
    replies = [replies_with(telegram, chat, n) for n in ("3.000.000", "500.000", "230.000")]
    assert replies == [1, 1, 1]
    assert telegram.calls["sendMessage"] == 4  # the late one once, the given-up one twice
    assert await entry_count(sessions) == 3
    assert await bot.stop() == 0
    assert "Traceback" not in bot.output()


async def test_a_poll_that_hangs_is_given_up_and_made_again(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed_programme(sessions)
    [chat] = await seed_joined_households(sessions, 1, first_address=8121)
    bot.env.update(QUICK_TIMEOUTS)
    await bot.start()
    telegram.push_text(chat, "bán heo 3 triệu")
    await telegram.wait_for(to_chat(chat, "3.000.000"), timeout=30)

    # The next getUpdates hangs, well past the bot's timeout (1 s poll + 2 s); a message
    # sent meanwhile stays with the platform until the bot polls again.
    polls = telegram.calls["getUpdates"]
    telegram.hang_next("getUpdates", 6.0)
    await wait_until(lambda: telegram.calls["getUpdates"] > polls, timeout=5)
    telegram.push_text(chat, "bán gà 300k")
    await telegram.wait_for(to_chat(chat, "300.000"), timeout=15)
    await wait_until(lambda: telegram.abandoned["getUpdates"] == 1, timeout=10)
    await asyncio.sleep(1)  # a second reply would come by now
    assert replies_with(telegram, chat, "300.000") == 1
    assert await entry_count(sessions) == 2
    assert telegram.pending_updates == 0
    assert await bot.stop() == 0
    log = bot.output()
    assert log.count("getUpdates failed") == 1, log
    assert "Traceback" not in log, log
