"""Issue 15 end to end: a household's November written through the real `sinhke run` and
aiogram against the Telegram stand-in — wages, a loan with interest and a repayment, a
borrowing undone, lending, a hụi, prices per unit — then /vay, /thang 11/2026 and the
officer's /baocao workbook, checked to the đồng (the figures are worked out by hand in
tests/issues/test_15_totals_months.py)."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import translator
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess
from tests.e2e.test_telegram_diary import join, press, say
from tests.issues.test_15_totals_months import INCOME, NOVEMBER, PER_PERSON, SPENDING, _labelled
from tests.standins.telegram import TelegramStandin

HOME, OFFICER = 5021, 5022
money = translator("vi").money


def plain(text: str | None) -> str:
    return text or ""


async def test_a_household_month_on_telegram(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, members=4)
    await bot.start()
    await join(telegram, HOME, programme.households[0].invite)
    telegram.push_text(OFFICER, f"/start {programme.officer.invite}")
    consent = await telegram.wait_for(lambda r: r.chat_id == OFFICER and "đồng ý" in (r.text or ""))
    assert consent.message_id is not None
    telegram.push_callback(OFFICER, "consent:yes", message_id=int(consent.message_id))
    await telegram.wait_for(lambda r: r.chat_id == OFFICER and "cán bộ" in (r.text or ""))

    for day, text, (_, amount) in NOVEMBER:
        written = await say(telegram, HOME, f"{day}/11 {text}", "Đã ghi")
        assert money(amount) in plain(written.text), (text, written.text)
        if "khi nào phải trả" in plain(written.text):
            await press(telegram, HOME, written, "due:12", "Đã ghi hạn trả")
    # A borrowing written by mistake and undone leaves no loan behind.
    await say(telegram, HOME, "20/11 vay 5 triệu", "khi nào phải trả")
    await say(telegram, HOME, "/xoa", "Đã xóa")

    glance = await say(telegram, HOME, "/vay", "Hộ mình còn nợ")
    since = len(telegram.sent)
    await press(telegram, HOME, glance, "loans:all", "Hụi")
    loans = plain("\n".join(r.text or "" for r in telegram.sent[since:]))
    assert f"Còn nợ: {money(29_000_000)}" in loans  # 30 triệu less 1 triệu; interest aside
    assert money(5_000_000) not in loans
    assert (
        f"• hàng xóm: cho mượn {money(3_000_000)} ngày 16/11/2026, "
        f"đã trả {money(1_000_000)}, còn {money(2_000_000)}"
    ) in loans
    assert f"• Hụi: góp {money(2_000_000)}, đã hốt {money(10_000_000)}" in loans

    month = plain((await say(telegram, HOME, "/thang 11/2026", "Tháng 11/2026")).text)
    assert f"Tiền vào: {money(INCOME)}" in month
    assert f"Tiền ra: {money(SPENDING)} (có {money(300_000)} tiền lãi)" in month
    assert f"khoảng {money(PER_PERSON)}: dưới chuẩn nghèo {money(1_500_000)}" in month

    since = len(telegram.sent)
    telegram.push_text(OFFICER, "/baocao 11/2026")
    report = await telegram.wait_for(
        lambda r: r.chat_id == OFFICER and r.method == "sendDocument", since=since, timeout=30
    )
    assert report.file_bytes is not None
    figures = _labelled(load_workbook(io.BytesIO(report.file_bytes))["Tổng hợp"])
    assert figures["Tổng thu"] == INCOME
    assert figures["Tổng chi"] == SPENDING
    assert figures["Trong đó trả lãi"] == 300_000
    assert figures["Thu nhập bình quân người/tháng (thu − chi sản xuất − trả lãi)"] == PER_PERSON
    assert await bot.stop() == 0
