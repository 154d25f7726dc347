"""Loans, lending and savings through the conversation (handlers/loans.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from models import Entry, Loan
from tests.dialog import (
    Dialog,
    joined_dialog,
)


async def said(dialog: Dialog, text: str) -> str:
    """The bot's answer with plain spaces (money is written "1.000.000\xa0₫")."""
    return (await dialog.text(text)).replace("\xa0", " ")


async def loans_shown(dialog: Dialog) -> str:
    """/vay and, behind its "Xem thêm", every loan in full."""
    glance = await said(dialog, "/vay")
    return glance + "\n" + await pressed(dialog, "loans:all")


async def pressed(dialog: Dialog, payload: str) -> str:
    return "\n".join(r.text for r in await dialog.press(payload)).replace("\xa0", " ")


async def entries(sessions: async_sessionmaker[AsyncSession]) -> list[Entry]:
    async with sessions() as session:
        return list(await session.scalars(select(Entry).order_by(Entry.id)))


async def test_a_repayment_goes_to_the_lender_it_names(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay ngân hàng chính sách 30 triệu nuôi bò")
    await dialog.press("due:12")
    await dialog.say("vay chị Tư 5 triệu")
    await dialog.press("due:0")
    assert "Khoản vay chị Tư còn nợ 4.000.000 ₫." in await said(dialog, "trả nợ chị Tư 1 triệu")
    answer = await said(dialog, "tra no ngan hang 2tr")  # "ngân hàng" names the bank's loan
    assert "Khoản vay Ngân hàng Chính sách xã hội còn nợ 28.000.000 ₫." in answer
    answer = await said(dialog, "trả nợ anh Hai 500k")
    assert "Sổ chưa có khoản vay anh Hai nào đang nợ" in answer
    shown = await loans_shown(dialog)
    assert shown.startswith("Hộ mình còn nợ 32.000.000 ₫ (2 khoản vay).\n• Ngân hàng Chính sách")
    assert "Vay Ngân hàng Chính sách xã hội: 30.000.000 ₫, ngày 29/11/2026" in shown
    assert "Mục đích: nuôi bò" in shown
    assert "Còn nợ: 28.000.000 ₫" in shown and "Còn nợ: 4.000.000 ₫" in shown
    assert "Vay chị Tư: 5.000.000 ₫" in shown
    assert "Trả nợ không thuộc khoản vay nào trong sổ: 500.000 ₫" in shown


async def test_each_borrowing_or_lending_opens_one_loan_row(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    for text in ("vay chị Tư 5 triệu", "mượn anh Hai 2 triệu", "cho cô Ba mượn 1 triệu"):
        await dialog.say(text)
        await dialog.say("/huy")
    async with sessions() as session:
        loans = list(await session.scalars(select(Loan)))
        linked = {e.loan_id for e in await session.scalars(select(Entry))}
    assert len(loans) == 3
    assert {loan.id for loan in loans} == linked  # no loan row without its entry


async def test_several_loans_and_no_name_ask_with_buttons(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay hội phụ nữ 10 triệu mua heo giống")
    await dialog.press("due:12")
    await dialog.say("vay cô Ba 3 triệu")
    await dialog.press("due:0")
    [reply] = await dialog.say("trả nợ 1 triệu")
    assert "trả cho khoản vay nào" in reply.text
    labels = [b.label.replace("\xa0", " ") for b in reply.flat_buttons()]
    assert labels == [
        "Hội Phụ nữ (29/11/2026): còn 10.000.000 ₫",
        "cô Ba (29/11/2026): còn 3.000.000 ₫",
        "Không thuộc khoản nào",
    ]
    [*_, repay] = await entries(sessions)
    assert repay.kind == "repay" and repay.loan_id is None  # not until answered
    answer = await pressed(dialog, reply.flat_buttons()[1].payload)
    assert answer == "Khoản vay cô Ba còn nợ 2.000.000 ₫."
    [*_, repay] = await entries(sessions)
    assert repay.loan_id is not None
    # Asked again for another payment, "none" keeps it apart.
    [reply] = await dialog.say("tra no 200k")
    assert "không thuộc khoản nào" in await pressed(dialog, reply.flat_buttons()[-1].payload)
    shown = await loans_shown(dialog)
    assert "Còn nợ: 10.000.000 ₫" in shown and "Còn nợ: 2.000.000 ₫" in shown
    assert "Trả nợ không thuộc khoản vay nào trong sổ: 200.000 ₫" in shown


async def test_one_loan_takes_every_unnamed_repayment_until_paid_off(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay 2 triệu")
    await dialog.press("due:6")
    assert "Khoản vay (chưa ghi tên) còn nợ 1.500.000 ₫." in await said(dialog, "trả nợ 500k")
    assert "đã trả xong" in await said(dialog, "trả nợ 1tr5")
    assert "chưa ghi khoản vay, cho mượn hay tiết kiệm nào đang còn" in await loans_shown(dialog)
    # Nothing open: a later repayment is kept, tied to no loan.
    answer = await said(dialog, "trả nợ 100k")
    assert "còn nợ" not in answer
    [*_, last] = await entries(sessions)
    assert last.loan_id is None


async def test_interest_is_paid_but_never_lowers_the_debt(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay ngân hàng chính sách 30 triệu nuôi bò")
    await dialog.press("due:36")
    answer = await said(dialog, "trả lãi ngân hàng 300k")
    assert "Tiền lãi không trừ vào nợ gốc" in answer and "còn nợ 30.000.000 ₫" in answer
    await dialog.say("dong lai ngan hang chinh sach 150k")
    await dialog.say("trả nợ ngân hàng 1 triệu")
    shown = await loans_shown(dialog)
    assert "Đã trả gốc 1.000.000 ₫, trả lãi 450.000 ₫" in shown
    assert "Còn nợ: 29.000.000 ₫" in shown


async def test_lending_out_and_collecting_back(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    answer = await said(dialog, "cho cô Ba mượn 500k")
    assert "Cho mượn 500.000 ₫" in answer and "cho cô Ba mượn" in answer
    assert "khi nào phải trả" not in answer  # no due-date question for money lent
    await dialog.say("cho anh Hai vay 2 triệu")
    [reply] = await dialog.say("thu nợ 300k")  # two people owe: which one?
    assert "trả cho ai" in reply.text
    assert (
        await pressed(dialog, reply.flat_buttons()[0].payload) == "cô Ba còn nợ hộ mình 200.000 ₫."
    )
    assert "anh Hai còn nợ hộ mình 1.500.000 ₫." in await said(dialog, "thu nợ anh Hai 500k")
    shown = await loans_shown(dialog)
    assert "Hộ mình không còn nợ khoản vay nào." in shown
    assert "Người ta còn nợ hộ mình:" in shown
    assert "• cô Ba: cho mượn 500.000 ₫ ngày 29/11/2026, đã trả 300.000 ₫, còn 200.000 ₫" in shown
    assert "• anh Hai: cho mượn 2.000.000 ₫ ngày 29/11/2026, đã trả 500.000 ₫, còn 1.500.000 ₫" in (
        shown
    )
    assert "cô Ba đã trả đủ tiền mượn." in await said(dialog, "thu nợ cô Ba 200k")
    assert "cô Ba" not in await loans_shown(dialog)


async def test_hui_and_savings_show_what_went_in_and_out(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    assert "chưa ghi khoản tiết kiệm" in await said(dialog, "/tietkiem")
    for message in ("góp hụi 500k", "gop hui 500k", "góp hụi 500k", "bỏ heo đất 50k"):
        await dialog.say(message)
    await dialog.say("gửi tiết kiệm 2 triệu")
    await dialog.say("rút tiết kiệm 500k")
    shown = await said(dialog, "/tietkiem")
    assert "• Hụi: bỏ vào 1.500.000 ₫, lấy ra 0 ₫, còn 1.500.000 ₫" in shown
    assert "• Heo đất: bỏ vào 50.000 ₫, lấy ra 0 ₫, còn 50.000 ₫" in shown
    assert "• Tiết kiệm: bỏ vào 2.000.000 ₫, lấy ra 500.000 ₫, còn 1.500.000 ₫" in shown
    assert "Tổng: bỏ vào 3.550.000 ₫, lấy ra 500.000 ₫" in shown
    await dialog.say("hốt hụi 10 triệu")
    shown = await said(dialog, "/tietkiem")
    assert "• Hụi: góp 1.500.000 ₫, đã hốt 10.000.000 ₫, hốt hơn số đã góp 8.500.000 ₫" in shown
    assert "Tiền góp, tiền hốt hụi không tính là thu hay chi." in shown
    assert "Tiết kiệm, hụi:" in await loans_shown(dialog)


async def test_editing_the_borrowed_amount_changes_the_loan(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay ngân hàng chính sách 3 triệu nuôi heo")
    await dialog.press("due:12")
    await dialog.say("trả nợ ngân hàng 1 triệu")
    [borrow, repay] = await entries(sessions)
    await dialog.press(f"amt:{borrow.id}")
    await dialog.say("30 triệu")
    shown = await loans_shown(dialog)
    assert "Vay Ngân hàng Chính sách xã hội: 30.000.000 ₫" in shown
    assert "Còn nợ: 29.000.000 ₫" in shown
    await dialog.press(f"amt:{repay.id}")
    await dialog.say("2 triệu")
    assert "Còn nợ: 28.000.000 ₫" in await loans_shown(dialog)
    await dialog.press(f"day:{borrow.id}")
    await dialog.press(f"setday:{borrow.id}:2026-11-20")
    assert "30.000.000 ₫, ngày 20/11/2026" in await loans_shown(dialog)


async def test_a_choice_of_loan_that_is_gone_is_refused(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay hội phụ nữ 10 triệu")
    await dialog.press("due:0")
    await dialog.say("vay cô Ba 3 triệu")
    await dialog.press("due:0")
    [reply] = await dialog.say("trả nợ 1 triệu")
    [_, borrow_ba, repay] = await entries(sessions)
    undone = await pressed(dialog, f"undo:{borrow_ba.id}")
    assert "Khoản vay cô Ba đã bỏ khỏi sổ." in undone and "lần trả" not in undone
    stale = await pressed(dialog, reply.flat_buttons()[1].payload)
    assert stale == "Khoản này không còn trong sổ. Anh/chị xem lại ở /vay."
    assert (
        await pressed(dialog, reply.flat_buttons()[0].payload)
        == "Khoản vay Hội Phụ nữ còn nợ 9.000.000 ₫."
    )
    # A button for an entry that is not (or no longer) there is refused.
    [*_, last] = await entries(sessions)
    assert last.id == repay.id and last.loan_id is not None
    assert "Dòng này không còn nữa." in await pressed(dialog, f"payfor:{repay.id + 99}:1")


async def test_money_lent_to_nobody_named(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    answer = await said(dialog, "cho vay 2 triệu")
    assert "Mình theo dõi khoản cho mượn này" in answer
    assert "(chưa ghi tên) còn nợ hộ mình 1.000.000 ₫." in await said(dialog, "thu nợ 1 triệu")
    assert "• (chưa ghi tên): cho mượn 2.000.000 ₫" in await loans_shown(dialog)


async def test_paying_someone_the_household_owes_is_a_repayment(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """ "trả chị Tư 1 triệu" repays her loan, kept apart when she has none open; "anh Hai
    trả 200k" is money lent coming back."""
    dialog = await joined_dialog(settings, sessions)
    answer = await said(dialog, "trả chị Tư 200k")  # no loan yet
    assert "• Trả nợ 200.000 ₫ – Vay, trả nợ" in answer
    assert "Sổ chưa có khoản vay chị Tư nào đang nợ, mình ghi riêng." in answer
    await dialog.say("vay chị Tư 5 triệu")
    await dialog.press("due:0")
    answer = await said(dialog, "trả chị Tư 1 triệu")
    assert "• Trả nợ 1.000.000 ₫ – Vay, trả nợ" in answer
    assert "Khoản vay chị Tư còn nợ 4.000.000 ₫." in answer
    await dialog.say("cho anh Hai vay 500k")
    answer = await said(dialog, "anh Hai trả 200k")
    assert "• Thu nợ về 200.000 ₫ – Cho mượn" in answer
    assert "anh Hai còn nợ hộ mình 300.000 ₫." in answer
    kinds = [(e.kind, e.category, e.amount) for e in await entries(sessions)]
    assert kinds == [
        ("repay", "loan", 200_000),
        ("borrow", "loan", 5_000_000),
        ("repay", "loan", 1_000_000),
        ("lend", "lending", 500_000),
        ("collect", "lending", 200_000),
    ]
