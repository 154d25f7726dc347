"""Issue 15 end to end: loans over Telegram (the real `sinhke run` and aiogram against
the stand-in): the due-date question, the which-loan question answered by a button, /vay."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess
from tests.e2e.test_telegram_diary import join, payloads, press, say
from tests.standins.telegram import TelegramStandin

CHAT = 5015


async def test_loans_on_telegram(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    await bot.start()
    await join(telegram, CHAT, programme.households[0].invite)

    asked = await say(telegram, CHAT, "vay ngân hàng chính sách 30 triệu nuôi bò", "khi nào")
    assert payloads(asked) == ["due:6", "due:12", "due:36", "due:0"]
    await press(telegram, CHAT, asked, "due:12", "Đã ghi hạn trả")
    asked = await say(telegram, CHAT, "vay chị Tư 5 triệu", "khi nào")
    await press(telegram, CHAT, asked, "due:0", "Được ạ")

    interest = await say(telegram, CHAT, "trả lãi ngân hàng 300k", "Tiền lãi không trừ")
    assert "30.000.000" in (interest.text or "")
    which = await say(telegram, CHAT, "trả nợ 1 triệu", "khoản vay nào")
    choices = payloads(which)
    assert len(choices) == 3 and choices[-1].endswith(":0")
    answer = await press(telegram, CHAT, which, choices[1], "chị Tư")
    assert "4.000.000" in (answer.text or "")

    glance = await say(telegram, CHAT, "/vay", "Hộ mình còn nợ")
    assert "(2 khoản vay)" in (glance.text or "")
    since = len(telegram.sent)
    await press(telegram, CHAT, glance, "loans:all", "Còn nợ: 4.000.000")  # the last
    text = "\n".join(r.text or "" for r in telegram.sent[since:]).replace("\xa0", " ")
    assert "Còn nợ: 30.000.000 ₫" in text and "Còn nợ: 4.000.000 ₫" in text
    assert "trả lãi 300.000 ₫" in text
