"""Issue 10, bad input: what the bot does not handle is answered or ignored on purpose,
and nothing a person sends can break it or reach another household's data."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry, Inbound
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess
from tests.e2e.test_telegram_diary import join, say
from tests.standins.telegram import TelegramStandin

HOME, OTHER = 8001, 8002


async def test_unhandled_kinds_long_text_sql_and_other_households(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=2)
    await bot.start()
    await join(telegram, HOME, programme.households[0].invite)
    await join(telegram, OTHER, programme.households[1].invite)

    # A sticker is small talk (issue 16): a smile back.
    since = len(telegram.sent)
    telegram.push_sticker(HOME)
    await telegram.wait_for(lambda r: r.chat_id == HOME and r.text == "😊", since=since)
    # Photos, voice and locations get a short answer in words.
    for push in (telegram.push_photo, telegram.push_voice):
        since = len(telegram.sent)
        push(HOME)
        await telegram.wait_for(
            lambda r: r.chat_id == HOME and "tin nhắn chữ" in (r.text or ""), since=since
        )
    since = len(telegram.sent)
    telegram.push_location(HOME, 10.1, 106.3)
    await telegram.wait_for(
        lambda r: r.chat_id == HOME and "tin nhắn chữ" in (r.text or ""), since=since
    )

    # Edited messages, channel posts and group chats are ignored on purpose: not stored.
    before = len(telegram.sent)
    async with sessions() as session:
        stored_before = await session.scalar(select(func.count(Inbound.id)))
    telegram.push_edited_text(HOME, 1, "bán heo 9 triệu")
    telegram.push_channel_post(-100123, "bán heo 9 triệu")
    telegram.push_group_text(-200, "bán heo 9 triệu", user_id=HOME)

    # A 4,096-character message and SQL-looking text are read like any other text.
    long_reply = await say(telegram, HOME, "bán heo 3 triệu " + "a" * 4080, "")
    assert long_reply.chat_id == HOME
    await say(telegram, HOME, "'; DROP TABLE entry; -- bán gà 100k", "Đã ghi")

    # A button for another household's entry does nothing to it.
    other_entry = await say(telegram, OTHER, "bán dừa 500k", "Đã ghi")
    undo = next(
        b["callback_data"]
        for row in other_entry.reply_markup["inline_keyboard"]
        for b in row
        if b["callback_data"].startswith("undo:")
    )
    mine = await say(telegram, HOME, "/homnay", "Hôm nay")
    assert mine.message_id is not None
    since = len(telegram.sent)
    telegram.push_callback(HOME, undo, message_id=int(mine.message_id))
    await telegram.wait_for(
        lambda r: r.chat_id == HOME and "không còn" in (r.text or ""), since=since
    )
    async with sessions() as session:
        assert (
            await session.scalar(
                select(func.count(Entry.id)).where(
                    Entry.deleted_at.is_(None), Entry.amount == 500_000
                )
            )
            == 1
        )
        stored_after = await session.scalar(select(func.count(Inbound.id)))
    await asyncio.sleep(1)
    assert not [r for r in telegram.sent[before:] if r.chat_id in (-100123, -200)]
    # The three ignored updates added nothing; the five messages and one press after did.
    assert stored_after == (stored_before or 0) + 5
    assert await bot.stop() == 0
