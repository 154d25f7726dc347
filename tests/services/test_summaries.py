"""A period's money in words: money out with its interest, and the loans-and-savings part
(also in the weekly note)."""

from __future__ import annotations

from datetime import date

from bot.i18n import translator
from bot.services.diary.labels import kind_label
from bot.services.diary.ledger import Period, Totals
from bot.services.diary.summaries import loans_and_savings, money_out
from bot.services.reminders.writing import weekly_note

T = translator("vi")
WEEK = Period(date(2026, 11, 23), date(2026, 11, 29))


def week_of(*entries: tuple[str, str, int]) -> Totals:
    totals = Totals()
    for kind, category, amount in entries:
        totals.add(kind, category, amount)
    return totals


def test_money_out_names_the_interest_in_it() -> None:
    plain = week_of(("expense", "food", 150_000))
    assert money_out(T, plain) == f"Tiền ra: {T.money(150_000)}"
    with_interest = week_of(("expense", "food", 150_000), ("interest", "loan", 300_000))
    assert money_out(T, with_interest) == (
        f"Tiền ra: {T.money(450_000)} (có {T.money(300_000)} tiền lãi)"
    )


def test_loans_and_savings_brief_and_whole() -> None:
    totals = week_of(
        ("income", "wage", 1_000_000),
        ("withdraw", "savings", 10_000_000),
        ("borrow", "loan", 5_000_000),
        ("interest", "loan", 100_000),
    )
    label = {kind: kind_label(T, kind) for kind in ("borrow", "interest", "withdraw")}
    assert loans_and_savings(T, totals, brief=True) == [
        f"Tiền vay, cho mượn, hụi, tiết kiệm: {label['borrow']} {T.money(5_000_000)} · "
        f"{label['interest']} {T.money(100_000)} · {label['withdraw']} {T.money(10_000_000)}"
    ]
    assert loans_and_savings(T, totals, brief=False) == [
        "Tiền vay, cho mượn, hụi, tiết kiệm (không tính là thu, chi):",
        f"• {label['borrow']}: {T.money(5_000_000)}",
        f"• {label['interest']}: {T.money(100_000)} (đã tính vào tiền ra)",
        f"• {label['withdraw']}: {T.money(10_000_000)}",
    ]
    assert loans_and_savings(T, week_of(("income", "wage", 1)), brief=True) == []


def test_the_weekly_note_counts_no_hui_and_no_loan() -> None:
    totals = week_of(
        ("income", "wage", 1_500_000),
        ("expense", "food", 400_000),
        ("interest", "loan", 100_000),
        ("save", "savings", 2_000_000),
        ("borrow", "loan", 3_000_000),
    )
    lines = weekly_note(T, WEEK, totals, nudge=False).text.splitlines()
    assert lines[1:4] == [
        f"Thu: {T.money(1_500_000)}",
        f"Chi: {T.money(500_000)}",
        f"Còn dư: {T.money(1_000_000)}",
    ]
    assert lines[4].startswith("Tiền vay, cho mượn, hụi, tiết kiệm: ")
    assert T.money(2_000_000) in lines[4] and T.money(3_000_000) in lines[4]
    # A week of only a hụi contribution has nothing spent.
    only_hui = weekly_note(T, WEEK, week_of(("save", "savings", 2_000_000)), nudge=False)
    assert f"Chi: {T.money(0)}" in only_hui.text and "Chi nhiều hơn thu" not in only_hui.text
