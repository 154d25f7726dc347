"""Issue 15, items 2 and 3: loans kept as a ledger, lending, hụi and savings.

The loan's figures come from its live entries: undoing the borrowing removes the loan
everywhere (/vay, reminders, the loan-misuse alert), later repayments do not go to a
ghost loan, interest never lowers the debt.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.services.alerts import alerts
from bot.services.diary import loans
from bot.services.reminders import ticks
from models import Alert, Entry
from tests.dialog import joined_dialog
from tests.handlers.test_loans import entries, loans_shown, pressed, said

VN = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_an_undone_borrowing_leaves_no_ghost_loan(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay ngân hàng chính sách 30 triệu nuôi bò")
    answer = await said(dialog, "/xoa")  # before answering the due-date question
    assert "Đã xóa dòng vừa ghi." in answer
    assert "Khoản vay Ngân hàng Chính sách xã hội đã bỏ khỏi sổ." in answer
    assert "Câu hỏi này đã qua rồi." in await pressed(dialog, "due:12")
    shown = await loans_shown(dialog)
    assert "30.000.000" not in shown and "Còn nợ" not in shown
    # The next repayment finds no loan: it is kept, tied to none.
    answer = await said(dialog, "trả nợ ngân hàng chính sách 1 triệu")
    assert "Sổ chưa có khoản vay Ngân hàng Chính sách xã hội nào đang nợ" in answer
    [_, repay] = await entries(sessions)
    assert repay.loan_id is None
    assert "Trả nợ không thuộc khoản vay nào trong sổ: 1.000.000 ₫" in await loans_shown(dialog)


async def test_undoing_a_borrowing_keeps_its_repayments_apart(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay chị Tư 5 triệu")
    await dialog.press("due:0")
    await dialog.say("trả nợ chị Tư 1 triệu")
    await dialog.say("tra no chi tu 500k")
    [borrow, *_] = await entries(sessions)
    answer = await pressed(dialog, f"undo:{borrow.id}")  # the undo button of that message
    assert "Khoản vay chị Tư đã bỏ khỏi sổ." in answer
    assert "2 lần trả (1.500.000 ₫) đã ghi cho khoản đó vẫn còn trong sổ" in answer
    [_, first, second] = await entries(sessions)
    assert first.deleted_at is None and first.loan_id is None and second.loan_id is None
    shown = await loans_shown(dialog)
    assert "Còn nợ" not in shown
    assert "Trả nợ không thuộc khoản vay nào trong sổ: 1.500.000 ₫" in shown


async def test_a_borrowing_written_twice_passes_its_repayments_to_the_other(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay hội phụ nữ 10 triệu")
    await dialog.press("due:0")
    await dialog.say("trả nợ hội phụ nữ 2 triệu")  # goes to the first (the oldest)
    await dialog.say("vay hoi phu nu 10 trieu")
    await dialog.press("due:0")
    [first, *_] = await entries(sessions)
    answer = await pressed(dialog, f"undo:{first.id}")
    assert "1 lần trả (2.000.000 ₫) đã ghi cho khoản đó nay tính vào khoản còn lại" in answer
    shown = await loans_shown(dialog)
    assert shown.count("Vay Hội Phụ nữ: 10.000.000 ₫") == 1
    assert "Còn nợ: 8.000.000 ₫" in shown and "không thuộc khoản vay nào" not in shown


async def test_undoing_a_repayment_puts_the_debt_back(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay ngân hàng chính sách 30 triệu nuôi bò")
    await dialog.press("due:12")
    await dialog.say("trả nợ ngân hàng 2 triệu")
    answer = await said(dialog, "/xoa")
    assert "Khoản vay Ngân hàng Chính sách xã hội còn nợ 30.000.000 ₫." in answer


async def test_the_issue_interest_payment_leaves_the_debt(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay ngân hàng chính sách 30 triệu nuôi bò")
    await dialog.press("due:12")
    await dialog.say("trả lãi ngân hàng chính sách 300k")
    shown = await loans_shown(dialog)
    assert "Còn nợ: 30.000.000 ₫" in shown and "29.700.000" not in shown
    assert "trả lãi 300.000 ₫" in shown


async def test_an_undone_loan_is_not_reminded_nor_alerted(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay hội nông dân 5 triệu nuôi gà")
    await dialog.say("2/12")  # due in three days
    await dialog.say("vay ngân hàng chính sách 10 triệu nuôi bò")
    await dialog.say("2/12")
    await dialog.say("sửa nhà 9 triệu")  # spent outside both purposes
    evening = datetime.combine(date(2026, 11, 29), time(19), VN).astimezone(UTC)
    async with transaction(sessions) as session:
        found = await alerts.scan(session, settings, evening)
    assert len([a for a in found.raised if a.rule == "loan_misuse"]) == 2
    [farmers, bank, _] = await entries(sessions)
    await dialog.press(f"undo:{bank.id}")
    async with transaction(sessions) as session:
        result = await ticks.tick(session, settings, evening)
        await alerts.scan(session, settings, evening)
    assert result.queued["loan"] == 1  # the farmers' union loan only
    async with sessions() as session:
        open_alerts = list(await session.scalars(select(Alert).where(Alert.status != "resolved")))
        [debt] = await loans.household_ledgers(session, farmers.household_id)
    assert [a.cause_key for a in open_alerts if a.rule == "loan_misuse"] == [
        f"loan_misuse:{debt.loan.household_id}:{debt.id}"
    ]
    assert debt.loan.lender == "Hội Nông dân" and debt.owed == 5_000_000


async def test_deleted_entries_never_count(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Figures read the live entries only, whoever deleted or changed them."""
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay 4 triệu")
    await dialog.press("due:0")
    await dialog.say("trả nợ 1 triệu")
    await dialog.say("trả lãi 100k")
    now = datetime(2026, 11, 29, 5, tzinfo=UTC)
    async with transaction(sessions) as session:
        [borrow, repay, interest] = list(await session.scalars(select(Entry).order_by(Entry.id)))
        interest.kind = "repay"  # a correction by another part of the bot
        [found] = await loans.household_ledgers(session, borrow.household_id)
        assert (found.principal, found.repaid, found.interest, found.owed) == (
            4_000_000,
            1_100_000,
            0,
            2_900_000,
        )
        repay.deleted_at = now
        [found] = await loans.household_ledgers(session, borrow.household_id)
        assert (found.repaid, found.owed) == (100_000, 3_900_000)
        borrow.deleted_at = now
        assert await loans.household_ledgers(session, borrow.household_id) == []


async def test_the_issue_lending_to_a_neighbour_is_owed_to_the_household(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    answer = await said(dialog, "cho hàng xóm mượn 1 triệu")
    assert "khi nào phải trả" not in answer and "cho hàng xóm mượn" in answer
    await dialog.say("cho chi Tu muon 2 trieu")
    assert "chi Tu còn nợ hộ mình 1.500.000 ₫." in await said(dialog, "thu nợ chị Tư 500k")
    shown = await loans_shown(dialog)
    assert "Hộ mình không còn nợ khoản vay nào." in shown
    assert "• hàng xóm: cho mượn 1.000.000 ₫" in shown and "còn 1.000.000 ₫" in shown
    assert "• chi Tu: cho mượn 2.000.000 ₫" in shown and "còn 1.500.000 ₫" in shown
