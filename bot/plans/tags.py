"""Which activity each diary entry belongs to: the households' activities, tagging new
and past entries, the household's own re-tagging, and each activity's money.

Only income is money in, and expense and interest money out (diary-language.md):
borrowing, repaying, lending, collecting, saving and withdrawing are never tagged and
never count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.plans.catalogue import COUNTED_KINDS, Catalogue, fitting
from models import Entry, EntryActivity, HouseholdActivity, Loan


@dataclass(frozen=True, slots=True)
class Money:
    """An activity's money over a period (đồng)."""

    money_in: int = 0
    money_out: int = 0

    @property
    def profit(self) -> int:
        return self.money_in - self.money_out

    def __add__(self, other: Money) -> Money:
        return Money(self.money_in + other.money_in, self.money_out + other.money_out)


async def followed(session: AsyncSession, household_id: int) -> list[str]:
    """The activities the household follows, in the order they were set."""
    return list(
        await session.scalars(
            select(HouseholdActivity.activity)
            .where(HouseholdActivity.household_id == household_id)
            .order_by(HouseholdActivity.id)
        )
    )


async def follow(session: AsyncSession, household_id: int, codes: list[str]) -> None:
    """The household now follows exactly ``codes``; tags of dropped activities go."""
    current = await followed(session, household_id)
    dropped = [code for code in current if code not in codes]
    if dropped:
        await session.execute(
            delete(HouseholdActivity).where(
                HouseholdActivity.household_id == household_id,
                HouseholdActivity.activity.in_(dropped),
            )
        )
        own_entries = select(Entry.id).where(Entry.household_id == household_id)
        await session.execute(
            delete(EntryActivity).where(
                EntryActivity.entry_id.in_(own_entries), EntryActivity.activity.in_(dropped)
            )
        )
    for code in dict.fromkeys(codes):
        if code not in current:
            session.add(HouseholdActivity(household_id=household_id, activity=code))
    await session.flush()


async def _loan_purposes(
    session: AsyncSession, household_id: int, catalogue: Catalogue, codes: list[str]
) -> dict[int, tuple[str, frozenset[str]]]:
    """The household's loans whose purpose names one of its activities: loan id →
    (activity, the categories the loan's money may go to), newest loan first."""
    found: dict[int, tuple[str, frozenset[str]]] = {}
    rows = await session.execute(
        select(Loan.id, Loan.purpose, Loan.purpose_categories)
        .where(Loan.household_id == household_id, Loan.purpose.is_not(None))
        .order_by(Loan.id.desc())
    )
    for loan_id, purpose, categories in rows:
        named = [code for code in codes if code in catalogue.named_in(purpose or "")]
        if len(named) == 1:
            found[loan_id] = (named[0], frozenset((categories or "production").split(",")))
    return found


@dataclass(frozen=True, slots=True)
class Untold:
    """An entry that several of the household's activities fit: the household chooses."""

    entry_id: int
    choices: tuple[str, ...]


async def tag_entries(
    session: AsyncSession,
    household_id: int,
    entry_ids: list[int] | None,
    *,
    catalogue: Catalogue,
    now: datetime,
    codes: list[str] | None = None,
) -> list[Untold]:
    """Tag the given entries (``None``: every untagged live entry of the household) with
    the one activity that fits; the entries that several fit are returned, untagged.
    ``codes``: the household's activities, when the caller has read them."""
    if codes is None:
        codes = await followed(session, household_id)
    if not codes:
        return []
    loans = await _loan_purposes(session, household_id, catalogue, codes)
    query = (
        select(Entry.id, Entry.kind, Entry.category, Entry.text, Entry.loan_id)
        .outerjoin(EntryActivity, EntryActivity.entry_id == Entry.id)
        .where(
            Entry.household_id == household_id,
            Entry.deleted_at.is_(None),
            Entry.kind.in_(COUNTED_KINDS),
            EntryActivity.entry_id.is_(None),
        )
        .order_by(Entry.id)
    )
    if entry_ids is not None:
        query = query.where(Entry.id.in_(entry_ids))
    untold: list[Untold] = []
    for entry_id, kind, category, text, loan_id in await session.execute(query):
        loan_activity = _served_loan(loans, kind, category, loan_id)
        choices = fitting(
            catalogue,
            codes,
            kind=kind,
            category=category,
            text=text or "",
            loan_activity=loan_activity,
        )
        if len(choices) == 1:
            by_loan = choices[0] == loan_activity and choices[0] not in catalogue.named_in(
                text or ""
            )
            source = "loan" if by_loan else "words"
            session.add(EntryActivity(entry_id=entry_id, activity=choices[0], source=source))
        elif choices:
            untold.append(Untold(entry_id, tuple(choices)))
    await session.flush()
    return untold


def _served_loan(
    loans: dict[int, tuple[str, frozenset[str]]], kind: str, category: str, loan_id: int | None
) -> str | None:
    """The activity of the loan the money serves: interest on it, or spending in the
    categories its purpose allows (the newest such loan)."""
    if loan_id is not None and loan_id in loans:
        return loans[loan_id][0]
    if kind != "expense":
        return None
    return next((code for code, allowed in loans.values() if category in allowed), None)


async def tag_of(session: AsyncSession, entry_id: int) -> str | None:
    activity: str | None = await session.scalar(
        select(EntryActivity.activity).where(EntryActivity.entry_id == entry_id)
    )
    return activity


async def tags_of(session: AsyncSession, entry_ids: list[int]) -> dict[int, str]:
    """The activity of each of these entries that has one."""
    rows = await session.execute(
        select(EntryActivity.entry_id, EntryActivity.activity).where(
            EntryActivity.entry_id.in_(entry_ids)
        )
    )
    return {entry_id: activity for entry_id, activity in rows}


async def set_tag(
    session: AsyncSession, entry: Entry, activity: str | None, *, source: str, now: datetime
) -> None:
    """Tag ``entry`` with ``activity`` (``None``: with none), replacing any tag."""
    await session.execute(delete(EntryActivity).where(EntryActivity.entry_id == entry.id))
    if activity is not None:
        session.add(
            EntryActivity(entry_id=entry.id, activity=activity, source=source, tagged_at=now)
        )
    await session.flush()


async def money_by_activity(
    session: AsyncSession,
    household_ids: list[int],
    *,
    start: date | None = None,
    end: date | None = None,
) -> dict[int, dict[str, Money]]:
    """Each household's money per activity from its tagged live entries (one query)."""
    query = (
        select(Entry.household_id, EntryActivity.activity, Entry.kind, func.sum(Entry.amount))
        .join(EntryActivity, EntryActivity.entry_id == Entry.id)
        .where(
            Entry.household_id.in_(household_ids),
            Entry.deleted_at.is_(None),
            Entry.kind.in_(COUNTED_KINDS),
        )
        .group_by(Entry.household_id, EntryActivity.activity, Entry.kind)
    )
    if start is not None:
        query = query.where(Entry.day >= start)
    if end is not None:
        query = query.where(Entry.day <= end)
    result: dict[int, dict[str, Money]] = defaultdict(dict)
    for household_id, activity, kind, amount in await session.execute(query):
        money = Money(int(amount), 0) if kind == "income" else Money(0, int(amount))
        result[household_id][activity] = result[household_id].get(activity, Money()) + money
    return dict(result)
