"""Issue 16 end to end: the real `sinhke run` with aiogram against the Telegram stand-in.
A household in trouble hears at once which hotline to call, its officer gets an urgent
alert within seconds and calls back; typed answers work on the real path too."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess
from tests.e2e.test_telegram_diary import join, payloads, press, say, to_chat
from tests.standins.telegram import TelegramStandin

pytestmark = pytest.mark.e2e

HOME, OFFICER = 7001, 7002


async def test_a_household_in_trouble_reaches_its_officer_within_seconds(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    await bot.start()
    await join(telegram, HOME, programme.households[0].invite)
    telegram.push_text(OFFICER, f"/start {programme.officer.invite}")
    consent = await telegram.wait_for(to_chat(OFFICER, "đồng ý"), timeout=30)
    # The officer consents by typing, not pressing.
    await say(telegram, OFFICER, "đồng ý", "Cảm ơn anh/chị")

    since = len(telegram.sent)
    sent_at = time.monotonic()
    telegram.push_text(HOME, "chồng tôi đánh tôi")
    alert = await telegram.wait_for(to_chat(OFFICER, "chồng tôi đánh tôi"), since=since, timeout=10)
    assert time.monotonic() - sent_at < 10
    assert (alert.text or "").startswith("🚨")
    answer = await telegram.wait_for(to_chat(HOME, "113"), since=since, timeout=10)
    assert "cán bộ" in (answer.text or "")
    call = next(p for p in payloads(alert) if p.startswith("alert:call:"))
    await press(telegram, OFFICER, alert, call, "nhắn ngay")
    await say(telegram, OFFICER, "Chị qua nhà hàng xóm, em tới ngay.", "Đã gửi")
    await telegram.wait_for(to_chat(HOME, "em tới ngay"), since=since, timeout=10)

    # A typed answer on the real path: the sum's question answered in words.
    await say(telegram, HOME, "200k", "thu hay chi")
    await say(telegram, HOME, "chi", "Đã ghi")
    assert consent.message_id is not None
