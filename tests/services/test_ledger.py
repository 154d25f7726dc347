"""Totals: what each kind of money counts as (only income earns; spending is expenses and
interest; borrowing, repaying, lending, collecting, saving and withdrawing only move)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.services.diary import ledger, poverty
from bot.services.diary.ledger import LOANS_AND_SAVINGS_KINDS, SPENDING_KINDS, Period, Totals
from bot.services.people.registry import add_area, add_household
from models import Entry

NOVEMBER = date(2026, 11, 1)
# (kind, category, amount): one of every kind, amounts distinct so a mix-up shows.
EVERY_KIND = [
    ("income", "wage", 6_000_000),
    ("income", "crop", 1_000_000),
    ("expense", "production", 800_000),
    ("expense", "food", 1_500_000),
    ("borrow", "loan", 30_000_000),
    ("repay", "loan", 1_000_000),
    ("interest", "loan", 300_000),
    ("lend", "lending", 2_000_000),
    ("collect", "lending", 500_000),
    ("save", "savings", 700_000),
    ("withdraw", "savings", 10_000_000),
]


def every_kind() -> Totals:
    totals = Totals()
    for kind, category, amount in EVERY_KIND:
        totals.add(kind, category, amount)
    return totals


def test_only_income_is_income_and_spending_is_expenses_and_interest() -> None:
    totals = every_kind()
    assert totals.income == 7_000_000
    assert totals.expense == 2_300_000
    assert totals.interest == 300_000
    assert totals.spending == 2_600_000
    assert totals.balance == 7_000_000 - 2_600_000
    assert totals.production_cost == 800_000
    assert totals.net_income == 7_000_000 - 800_000 - 300_000
    assert totals.entries == len(EVERY_KIND)


def test_money_that_moves_is_kept_apart_by_kind_in_order() -> None:
    assert every_kind().loans_and_savings == {
        "borrow": 30_000_000,
        "repay": 1_000_000,
        "interest": 300_000,
        "lend": 2_000_000,
        "collect": 500_000,
        "save": 700_000,
        "withdraw": 10_000_000,
    }
    assert list(every_kind().loans_and_savings) == list(LOANS_AND_SAVINGS_KINDS)
    assert Totals().loans_and_savings == {}


def test_categories_are_income_and_spending_only() -> None:
    totals = every_kind()
    # The loan, lending and savings categories never reach the top lists.
    assert dict(totals.by_category) == {
        "wage": 6_000_000,
        "crop": 1_000_000,
        "production": 800_000,
        "food": 1_500_000,
    }
    assert totals.top(("wage", "crop", "loan", "savings")) == [
        ("wage", 6_000_000),
        ("crop", 1_000_000),
    ]


def test_each_moving_kind_alone_changes_neither_income_nor_spending() -> None:
    for kind, category, amount in EVERY_KIND:
        totals = Totals()
        totals.add(kind, category, amount)
        assert totals.income == (amount if kind == "income" else 0), kind
        assert totals.spending == (amount if kind in SPENDING_KINDS else 0), kind
        assert totals.entries == 1


def test_income_per_person_counts_income_less_production_and_interest() -> None:
    lines = Settings().programme.poverty_lines
    standing = poverty.standing(every_kind(), members=4, urban=False, month=NOVEMBER, lines=lines)
    assert standing.per_person == (7_000_000 - 800_000 - 300_000) // 4
    assert (standing.line, standing.above) == (1_500_000, False)
    # Without the loan, the lending and the hụi, nothing changes: a payout of 10 triệu and
    # a loan of 30 triệu make nobody richer.
    earned_and_spent = Totals()
    for kind, category, amount in EVERY_KIND:
        if kind in ("income", *SPENDING_KINDS):
            earned_and_spent.add(kind, category, amount)
    assert (
        poverty.standing(earned_and_spent, members=4, urban=False, month=NOVEMBER, lines=lines)
        == standing
    )


async def test_totals_of_a_period_from_the_diary(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    async with transaction(sessions) as session:
        await add_area(session, code="C1", name="Xã Thử", kind="commune")
        household = await add_household(
            session, name="Hộ Một", members=4, area="C1", now=now, ttl_days=30
        )
        other = await add_household(
            session, name="Hộ Hai", members=2, area="C1", now=now, ttl_days=30
        )
        for day, (kind, category, amount) in enumerate(EVERY_KIND, start=1):
            session.add(
                Entry(
                    household_id=household.id,
                    kind=kind,
                    amount=amount,
                    category=category,
                    day=date(2026, 11, day),
                )
            )
        undone = Entry(
            household_id=household.id,
            kind="borrow",
            amount=5_000_000,
            category="loan",
            day=date(2026, 11, 20),
            deleted_at=now,
        )
        session.add_all(
            [
                undone,
                Entry(
                    household_id=household.id,
                    kind="income",
                    amount=9_000_000,
                    category="crop",
                    day=date(2026, 10, 31),
                ),
                Entry(
                    household_id=other.id,
                    kind="income",
                    amount=4_000_000,
                    category="wage",
                    day=date(2026, 11, 3),
                ),
            ]
        )
    async with sessions() as session:
        found = await ledger.totals(session, household.id, Period.month_of(NOVEMBER))
        first_week = await ledger.totals(
            session, household.id, Period(date(2026, 11, 1), date(2026, 11, 5))
        )
    expected = every_kind()
    assert (found.by_kind, found.by_category, found.entries) == (
        expected.by_kind,
        expected.by_category,
        expected.entries,
    )
    # Days 1–5: wages, a crop, feed, food and the loan.
    assert (first_week.income, first_week.spending) == (7_000_000, 2_300_000)
    assert first_week.loans_and_savings == {"borrow": 30_000_000}
