"""Issue 6, end to end: a meeting called with `sinhke meeting add` reaches households on
Telegram at once through the running `sinhke run`; their answers and questions come back,
and `sinhke reminders run --now` brings them to the officer before the meeting."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import MeetingInvite
from tests.cli.test_cli import sinhke
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess, write_config
from tests.standins.telegram import DEFAULT_TOKEN, SentRecord, TelegramStandin

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICER, FIRST, SECOND = 8100, 8101, 8102


def to_chat(chat: int, needle: str) -> Callable[[SentRecord], bool]:
    return lambda r: r.chat_id == chat and needle in (r.text or r.caption or "")


def payloads(record: SentRecord) -> list[str]:
    markup = record.reply_markup or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def join(telegram: TelegramStandin, chat: int, invite: str) -> None:
    telegram.push_text(chat, f"/start {invite}")
    consent = await telegram.wait_for(to_chat(chat, "đồng ý"), timeout=30)
    since = len(telegram.sent)
    assert consent.message_id is not None
    telegram.push_callback(chat, "consent:yes", message_id=int(consent.message_id))
    # The consent question is edited into the thanks.
    await telegram.wait_for(to_chat(chat, "Cảm ơn"), since=since)


async def press(
    telegram: TelegramStandin, chat: int, record: SentRecord, data: str, expect: str
) -> SentRecord:
    since = len(telegram.sent)
    assert record.message_id is not None
    telegram.push_callback(chat, data, message_id=int(record.message_id))
    return await telegram.wait_for(to_chat(chat, expect), since=since)


async def test_meeting_invitations_answers_and_the_officers_reminder(
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # No quiet hours, so the invitations go at once whatever the hour the test runs.
    config = write_config(
        tmp_path / "config.toml",
        database_url=database_url,
        api_base=telegram.base_url,
        token=DEFAULT_TOKEN,
        extra="\n[reminders]\nquiet_start = 00:00:00\nquiet_end = 00:00:00\n",
    )
    # The scheduler runs too (as in production), to show it starts and stops with the bot.
    bot = BotProcess(config, env={"SINHKE_SCHEDULER__ENABLED": "true"})
    programme = await seed_programme(sessions, households=2)
    await bot.start()
    try:
        await join(telegram, OFFICER, programme.officer.invite)
        await join(telegram, FIRST, programme.households[0].invite)
        await join(telegram, SECOND, programme.households[1].invite)

        day = (datetime.now(VN) + timedelta(days=5)).date()
        starts = datetime.combine(day, time(14), VN)
        since = len(telegram.sent)
        added = await asyncio.to_thread(
            sinhke,
            "meeting",
            "add",
            "--area",
            "C1",
            "--at",
            starts.replace(tzinfo=None).isoformat(),
            "--place",
            "Nhà văn hóa ấp 3",
            "--agenda",
            "Vay vốn nuôi bò",
            config=config,
        )
        assert added.returncode == 0, added.stderr
        assert added.stdout.strip() == "meeting 1: 2 households invited"

        first = await telegram.wait_for(to_chat(FIRST, "Thư mời họp"), since=since)
        second = await telegram.wait_for(to_chat(SECOND, "Thư mời họp"), since=since)
        assert "Nhà văn hóa ấp 3" in (first.text or "")
        assert payloads(first) == ["meet:yes:1", "meet:no:1"]
        await press(telegram, FIRST, first, "meet:yes:1", "Hẹn gặp")
        await press(telegram, SECOND, second, "meet:no:1", "không đến được")
        since = len(telegram.sent)
        telegram.push_text(FIRST, "hỏi: vay nuôi bò được bao nhiêu?")
        await telegram.wait_for(to_chat(FIRST, "Đã ghi câu hỏi"), since=since)

        # Three days before, at the officers' time: the answers and the question.
        moment = datetime.combine(day - timedelta(days=3), time(7), VN).astimezone(UTC)
        since = len(telegram.sent)
        ran = await asyncio.to_thread(
            sinhke, "reminders", "run", "--now", moment.isoformat(), config=config
        )
        assert ran.returncode == 0, ran.stderr
        assert "meeting 1" in ran.stdout
        reminder = await telegram.wait_for(to_chat(OFFICER, "Sắp đến buổi họp"), since=since)
        text = reminder.text or ""
        assert "1 hộ sẽ đến, 1 hộ không đến được, 0 hộ chưa trả lời" in text
        assert "vay nuôi bò được bao nhiêu?" in text

        async with sessions() as session:
            answers = list(
                await session.scalars(select(MeetingInvite.answer).order_by(MeetingInvite.id))
            )
        assert answers == ["yes", "no"]
        assert await bot.stop() == 0, bot.output()
        assert "scheduler started" in bot.output()
    finally:
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()
