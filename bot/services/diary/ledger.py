"""The diary's bookkeeping: recording, undoing and correcting entries, and totals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.language import MOVE_CATEGORY, ParsedEntry
from models import CategoryOverride, Entry


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day)

    @classmethod
    def week_of(cls, day: date) -> Period:
        monday = day - timedelta(days=day.weekday())
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def month_of(cls, day: date) -> Period:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return cls(first, following - timedelta(days=1))

    def previous_month(self) -> Period:
        return Period.month_of(self.start - timedelta(days=1))


# What each kind of money is to the household (docs: diary-language.md).  Only income
# earns and only spending consumes; interest is the cost of a debt, so it is spending too.
# The rest only moves money that is already the household's (or not yet): borrowed and
# repaid principal, money lent out and coming back, money put aside and taken out.
# None of those is ever income or spending.
SPENDING_KINDS = ("expense", "interest")
# Shown apart as "Tiền vay, cho mượn, hụi, tiết kiệm": the moving money and, beside the
# debts it belongs to, the interest paid (counted in spending all the same).  The reader
# says which kinds these are (each with its category: loan, lending, savings).
LOANS_AND_SAVINGS_KINDS = tuple(MOVE_CATEGORY)
MOVING_KINDS = tuple(kind for kind in MOVE_CATEGORY if kind not in SPENDING_KINDS)


@dataclass
class Totals:
    """Money of a period by kind and by category (đồng)."""

    by_kind: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)  # income and expense only
    entries: int = 0

    def add(self, kind: str, category: str, amount: int, count: int = 1) -> None:
        self.by_kind[kind] += amount
        if kind in ("income", "expense"):
            self.by_category[category] += amount
        self.entries += count

    @property
    def income(self) -> int:
        return self.by_kind["income"]

    @property
    def expense(self) -> int:
        """Ordinary spending (the ``expense`` kind), without interest."""
        return self.by_kind["expense"]

    @property
    def interest(self) -> int:
        return self.by_kind["interest"]

    @property
    def spending(self) -> int:
        """Everything the household spent: ordinary spending and interest on its debts."""
        return sum(self.by_kind[kind] for kind in SPENDING_KINDS)

    @property
    def balance(self) -> int:
        return self.income - self.spending

    @property
    def production_cost(self) -> int:
        return self.by_category["production"]

    @property
    def net_income(self) -> int:
        """What the poverty line measures: income less production costs and interest."""
        return self.income - self.production_cost - self.interest

    @property
    def loans_and_savings(self) -> dict[str, int]:
        """Borrowed, repaid, interest, lent, collected, saved, withdrawn: by kind, in that
        order, zeros left out."""
        return {kind: self.by_kind[kind] for kind in LOANS_AND_SAVINGS_KINDS if self.by_kind[kind]}

    def top(self, kind_categories: tuple[str, ...], n: int = 3) -> list[tuple[str, int]]:
        return [
            (category, amount)
            for category, amount in self.by_category.most_common()
            if category in kind_categories and amount > 0
        ][:n]


async def totals(session: AsyncSession, household_id: int, period: Period) -> Totals:
    rows = await session.execute(
        select(Entry.kind, Entry.category, func.sum(Entry.amount), func.count(Entry.id))
        .where(
            Entry.household_id == household_id,
            Entry.deleted_at.is_(None),
            Entry.day >= period.start,
            Entry.day <= period.end,
        )
        .group_by(Entry.kind, Entry.category)
    )
    result = Totals()
    for kind, category, amount, count in rows:
        result.add(kind, category, int(amount), int(count))
    return result


async def record(
    session: AsyncSession,
    household_id: int,
    parsed: list[ParsedEntry],
    *,
    contact_id: int | None,
    inbound_id: int | None,
    now: datetime,
) -> list[int]:
    """Write a message's entries; their ids, in order.  No ORM objects: every diary
    message comes this way, and a Core insert costs a third of the ORM's flush."""
    rows = [
        {
            "household_id": household_id,
            "kind": item.kind,
            "amount": item.amount,
            "category": item.category,
            "day": item.date,
            "at_time": item.time,
            "text": item.text[:1000],
            "keyword": item.keyword,
            "loan_id": None,
            "contact_id": contact_id,
            "inbound_id": inbound_id,
            "recorded_at": now,
            "deleted_at": None,
        }
        for item in parsed
    ]
    return list(await session.scalars(_RECORD, rows))


async def overrides(session: AsyncSession, household_id: int) -> dict[str, str]:
    rows = await session.execute(_OVERRIDES, {"household_id": household_id})
    return {keyword: category for keyword, category in rows}


_ENTRY_TABLE = cast(Table, Entry.__table__)
_RECORD = _ENTRY_TABLE.insert().returning(_ENTRY_TABLE.c.id, sort_by_parameter_order=True)

# Read at every diary message: built once on the table, so SQLAlchemy finds it compiled
# and skips the ORM's work.
_OVERRIDE_TABLE = cast(Table, CategoryOverride.__table__)
_OVERRIDES = select(_OVERRIDE_TABLE.c.keyword, _OVERRIDE_TABLE.c.category).where(
    _OVERRIDE_TABLE.c.household_id == bindparam("household_id")
)


async def remember_category(
    session: AsyncSession, household_id: int, keyword: str, category: str
) -> None:
    existing = await session.scalar(
        select(CategoryOverride).where(
            CategoryOverride.household_id == household_id, CategoryOverride.keyword == keyword
        )
    )
    if existing is None:
        session.add(CategoryOverride(household_id=household_id, keyword=keyword, category=category))
    else:
        existing.category = category


async def group_of(session: AsyncSession, entry: Entry) -> list[Entry]:
    """The live entries written by the same message as ``entry``."""
    if entry.inbound_id is None:
        return [entry]
    return list(
        await session.scalars(
            select(Entry)
            .where(
                Entry.household_id == entry.household_id,
                Entry.inbound_id == entry.inbound_id,
                Entry.deleted_at.is_(None),
            )
            .order_by(Entry.id)
        )
    )


async def last_group(session: AsyncSession, household_id: int) -> list[Entry]:
    """The live entries written by the household's latest diary message."""
    latest = await session.scalar(
        select(Entry)
        .where(Entry.household_id == household_id, Entry.deleted_at.is_(None))
        .order_by(Entry.recorded_at.desc(), Entry.id.desc())
        .limit(1)
    )
    return await group_of(session, latest) if latest is not None else []


def undo(entries: list[Entry], now: datetime) -> None:
    for entry in entries:
        entry.deleted_at = now


async def own_entry(session: AsyncSession, household_id: int, entry_id: int) -> Entry | None:
    """An entry of this household (never another's), still live."""
    entry = await session.get(Entry, entry_id)
    if entry is None or entry.household_id != household_id or entry.deleted_at is not None:
        return None
    return entry


async def recent_entries(session: AsyncSession, household_id: int, limit: int) -> list[Entry]:
    """The household's last ``limit`` entries still in the diary, newest first."""
    return list(
        await session.scalars(
            select(Entry)
            .where(Entry.household_id == household_id, Entry.deleted_at.is_(None))
            .order_by(Entry.id.desc())
            .limit(limit)
        )
    )


async def last_written(session: AsyncSession, household_ids: list[int]) -> dict[int, date]:
    """The day of each household's latest entry still in the diary (none: not there)."""
    rows = await session.execute(
        select(Entry.household_id, func.max(Entry.day))
        .where(Entry.household_id.in_(household_ids), Entry.deleted_at.is_(None))
        .group_by(Entry.household_id)
    )
    return {household_id: day for household_id, day in rows}
