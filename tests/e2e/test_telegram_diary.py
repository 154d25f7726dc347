"""Issue 4, end to end: the real `sinhke run` with aiogram, against the Telegram stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry, Inbound
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess
from tests.standins.telegram import SentRecord, TelegramStandin

CHAT = 5001


def to_chat(chat: int, needle: str) -> Callable[[SentRecord], bool]:
    return lambda r: r.chat_id == chat and needle in (r.text or r.caption or "")


def payloads(record: SentRecord) -> list[str]:
    markup = record.reply_markup or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def join(telegram: TelegramStandin, chat: int, invite: str) -> None:
    telegram.push_text(chat, f"/start {invite}")
    consent = await telegram.wait_for(to_chat(chat, "đồng ý"), timeout=30)
    assert payloads(consent) == ["consent:yes", "consent:no"]
    assert consent.message_id is not None
    since = len(telegram.sent)
    telegram.push_callback(chat, "consent:yes", message_id=int(consent.message_id))
    await telegram.wait_for(to_chat(chat, "bán heo 3 triệu"), since=since)


async def say(telegram: TelegramStandin, chat: int, text: str, expect: str) -> SentRecord:
    since = len(telegram.sent)
    telegram.push_text(chat, text)
    return await telegram.wait_for(to_chat(chat, expect), since=since)


async def press(
    telegram: TelegramStandin, chat: int, record: SentRecord, data: str, expect: str
) -> SentRecord:
    since = len(telegram.sent)
    assert record.message_id is not None
    telegram.push_callback(chat, data, message_id=int(record.message_id))
    return await telegram.wait_for(to_chat(chat, expect), since=since)


async def entry_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(
            await session.scalar(select(func.count(Entry.id)).where(Entry.deleted_at.is_(None)))
            or 0
        )


async def test_household_keeps_its_diary_on_telegram(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    await bot.start()
    await join(telegram, CHAT, programme.households[0].invite)

    # Twenty diary messages, each answered with what was recorded.
    since = len(telegram.sent)
    for day in range(1, 21):
        telegram.push_text(CHAT, f"bán trứng {day * 10}k")
    await telegram.wait_for(
        lambda _: sum(1 for r in telegram.sent[since:] if "Đã ghi" in (r.text or "")) >= 20,
        timeout=60,
        since=since,
    )
    assert await entry_count(sessions) == 20

    # An ask-back answered by a button completes the same entry.
    question = await say(telegram, CHAT, "200k", "thu hay chi")
    assert payloads(question) == ["dir:income", "dir:expense", "dir:borrow", "dir:repay"]
    recorded = await press(telegram, CHAT, question, "dir:expense", "Đã ghi")
    assert "Chi 200.000" in (recorded.text or "")
    assert await entry_count(sessions) == 21

    # Undo.
    await say(telegram, CHAT, "/xoa", "Đã xóa")
    assert await entry_count(sessions) == 20

    # A correction of the category, remembered for the same words later.
    written = await say(telegram, CHAT, "bán chỉ xơ dừa 300k", "Đã ghi")
    change = payloads(written)[1]
    choices = await press(telegram, CHAT, written, change, "Chọn loại")
    [crafts] = [p for p in payloads(choices) if p.endswith(":business")]
    await press(telegram, CHAT, choices, crafts, "Buôn bán")

    # The month, with its chart and the poverty line.
    month = await say(telegram, CHAT, "/thang", "chuẩn nghèo")
    assert "1.500.000" in (month.text or "")
    chart = await telegram.wait_for(lambda r: r.chat_id == CHAT and r.method == "sendPhoto")
    assert chart.file_bytes is not None and chart.file_bytes.startswith(b"\x89PNG")

    # The household's own export: a CSV of what it wrote.
    since = len(telegram.sent)
    telegram.push_text(CHAT, "/xuatdulieu")
    export = await telegram.wait_for(
        lambda r: r.chat_id == CHAT and r.method == "sendDocument", since=since
    )
    assert export.file_bytes is not None
    lines = export.file_bytes.decode("utf-8-sig").splitlines()
    assert lines[0] == "Ngày,Loại,Số tiền (đồng),Nhóm,Nội dung,Ghi lúc"  # its own words
    assert len(lines) == 1 + 21  # twenty eggs and the crafts sale

    # Nothing failed on the way.
    async with sessions() as session:
        failed = await session.scalar(
            select(func.count(Inbound.id)).where(Inbound.status == "failed")
        )
    assert failed == 0, bot.output()
    assert await bot.stop() == 0


async def test_kill_during_a_burst_loses_and_doubles_nothing(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=3)
    await bot.start()
    chats = [7001, 7002, 7003]
    for chat, household in zip(chats, programme.households, strict=True):
        await join(telegram, chat, household.invite)
    burst = 60
    for n in range(burst):
        telegram.push_text(chats[n % 3], f"mua cám {n + 1}k")
    await asyncio.sleep(0.3)  # part of the burst is read, part is not
    await bot.kill()
    await bot.start()
    await telegram.wait_for(
        lambda _: sum(1 for r in telegram.sent if "Đã ghi" in (r.text or "")) >= burst,
        timeout=90,
    )
    await asyncio.sleep(1)  # anything doubled would show up now
    async with sessions() as session:
        amounts = sorted(
            (await session.scalars(select(Entry.amount).where(Entry.deleted_at.is_(None)))).all()
        )
    assert amounts == sorted((n + 1) * 1000 for n in range(burst)), bot.output()
    assert await bot.stop() == 0
