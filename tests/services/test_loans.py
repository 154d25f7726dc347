"""Who a loan message names (bot/language/loans.py), and how payments find their loan
(bot/services/diary/loans.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from bot.language.loans import party_of, same_party
from bot.services.diary import loans
from bot.services.diary.loans import (
    UNNAMED,
    LoanLedger,
    lender_of,
    match_payment,
)
from models import Entry, Loan
from tests.dialog import seed_programme


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("vay ngân hàng chính sách 30 triệu nuôi bò", "Ngân hàng Chính sách xã hội"),
        ("tra no ngan hang chinh sach 2tr", "Ngân hàng Chính sách xã hội"),
        ("trả nợ NHCS 1 triệu", "Ngân hàng Chính sách xã hội"),
        ("đóng lãi hội phụ nữ 90k", "Hội Phụ nữ"),
        ("dong lai hoi nong dan 50k", "Hội Nông dân"),
        ("vay agribank 50 triệu", "Agribank"),
        ("trả nợ ngân hàng 1 triệu", "Ngân hàng"),
        ("trả chị Tư 1 triệu", "chị Tư"),
        ("vay cô Ba 3 triệu", "cô Ba"),
        ("tra no anh Hai 500k", "anh Hai"),
        ("tra no chi tu 1tr", "chi tu"),
        ("mượn bà Năm 2 triệu", "bà Năm"),
        ("vay ông Sáu 10 triệu sửa nhà", "ông Sáu"),
        ("trả dì Út 300k", "dì Út"),
        ("chú Bảy cho mượn 1 triệu", "chú Bảy"),
        ("trả nợ chị Lan 200k", "chị Lan"),
        ("thu nợ hàng xóm 300k", "hàng xóm"),
        ("Chị Tư trả lại 500k", "Chị Tư"),
    ],
)
def test_the_party_a_message_names(text: str, party: str) -> None:
    assert party_of(text) == party


@pytest.mark.parametrize(
    "text",
    [
        "vay ba mươi triệu",  # a number, not "bà Mười"
        "vay ba muoi trieu",
        "trả nợ 1 triệu",
        "em vay 5 triệu",  # the household speaking of itself
        "chị trả nợ 500k",
        "trả nợ cho em 1 triệu",
        "đi vay 2 triệu",  # "đi" (go) is not "dì"
        "anh ấy trả 300k",
        "trả lãi 200k",
    ],
)
def test_no_party(text: str) -> None:
    assert party_of(text) is None
    assert lender_of(text) == UNNAMED


def test_parties_compare_folded_and_any_bank_is_a_bank() -> None:
    assert same_party("chi tu", "chị Tư") and same_party("Chị Tư", "chị Tư")
    assert not same_party("chị Tư", "cô Tư")
    assert same_party("Ngân hàng", "Ngân hàng Chính sách xã hội")
    assert same_party("Ngân hàng", "Agribank")
    assert not same_party("Ngân hàng", "Hội Phụ nữ")
    assert not same_party("Ngân hàng Chính sách xã hội", "Agribank")


def ledger(
    loan_id: int, lender: str, *, borrowed: int = 0, lent: int = 0, **paid: int
) -> LoanLedger:
    return LoanLedger(
        loan=Loan(id=loan_id, household_id=1, lender=lender),
        borrowed=borrowed,
        lent=lent,
        repaid=paid.get("repaid", 0),
        collected=paid.get("collected", 0),
        interest=paid.get("interest", 0),
        since=date(2026, 11, 1),
    )


def test_a_payment_narrows_to_the_named_party() -> None:
    bank = ledger(1, "Ngân hàng Chính sách xã hội", borrowed=30_000_000)
    tu = ledger(2, "chị Tư", borrowed=5_000_000)
    assert match_payment([bank, tu], "trả chị Tư 1 triệu") == ([tu], "chị Tư")
    assert match_payment([bank, tu], "tra no ngan hang 1tr") == ([bank], "Ngân hàng")
    assert match_payment([bank, tu], "trả nợ 1 triệu") == ([bank, tu], None)
    assert match_payment([bank, tu], "trả nợ cô Ba 1 triệu") == ([], "cô Ba")


def test_figures_of_a_ledger() -> None:
    debt = ledger(1, "Hội Phụ nữ", borrowed=10_000_000, repaid=4_000_000, interest=300_000)
    assert (debt.direction, debt.principal, debt.paid_back, debt.owed) == (
        "borrowed",
        10_000_000,
        4_000_000,
        6_000_000,
    )
    assert not debt.closed
    lent = ledger(2, "cô Ba", lent=500_000, collected=500_000, repaid=0)
    assert (lent.direction, lent.owed, lent.closed) == ("lent", 0, True)
    overpaid = ledger(3, "chị Tư", borrowed=1_000_000, repaid=1_200_000)
    assert overpaid.owed == 0 and overpaid.closed


async def test_ledgers_as_of_a_day_and_the_use_of_the_money(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Figures from live entries up to a day: a loan paid off in December is still owed
    at the end of November; spending since the loan is split by its purpose."""
    programme = await seed_programme(sessions)
    household = programme.households[0].id
    async with transaction(sessions) as session:
        bank = Loan(household_id=household, lender="Hội Phụ nữ", purpose_categories="production")
        lent = Loan(household_id=household, lender="cô Ba")
        session.add_all([bank, lent])
        await session.flush()

        def entry(kind: str, amount: int, day: date, loan: Loan | None = None) -> Entry:
            # A spending entry is given by its category ("food"); the rest by their kind.
            category = {"lend": "lending"}.get(kind, "loan")
            if kind in ("production", "food", "household"):
                kind, category = "expense", kind
            return Entry(
                household_id=household,
                kind=kind,
                amount=amount,
                category=category,
                day=day,
                loan_id=loan.id if loan else None,
            )

        undone = entry("repay", 9_000_000, date(2026, 11, 20), bank)
        undone.deleted_at = datetime(2026, 11, 21, tzinfo=UTC)
        session.add_all(
            [
                entry("borrow", 10_000_000, date(2026, 11, 5), bank),
                entry("repay", 4_000_000, date(2026, 11, 15), bank),
                entry("interest", 200_000, date(2026, 11, 15), bank),
                undone,
                entry("repay", 6_000_000, date(2026, 12, 1), bank),
                entry("lend", 500_000, date(2026, 11, 10), lent),
                entry("production", 3_000_000, date(2026, 11, 6)),
                entry("food", 1_000_000, date(2026, 11, 7)),
                entry("household", 2_000_000, date(2026, 11, 1)),  # before the loan
            ]
        )
    async with sessions() as session:
        november = await loans.household_ledgers(session, household, until=date(2026, 11, 30))
        now = await loans.household_ledgers(session, household)
        uses = await loans.uses_of(session, november, until=date(2026, 11, 30))
    [debt, credit] = november
    assert (debt.direction, debt.principal, debt.repaid, debt.interest, debt.owed) == (
        "borrowed",
        10_000_000,
        4_000_000,
        200_000,
        6_000_000,
    )
    assert debt.since == date(2026, 11, 5) and not debt.closed
    assert (credit.direction, credit.owed) == ("lent", 500_000)
    assert [(x.id, x.closed) for x in now] == [(debt.id, True), (credit.id, False)]
    use = uses[debt.id]
    assert (use.spent, use.on_purpose) == (4_000_000, 3_000_000)
    assert use.outside_share == pytest.approx(0.25)
