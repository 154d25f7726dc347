"""Leaving poverty, and staying out: each household's status history.

Every change of ``Household.status`` (poor → near_poor → escaped, or back) is a row with
its date and who made it.  A household *escaped sustainably* when it became ``escaped``
and has not gone back to poor or near-poor in the ``SUSTAINED_MONTHS`` after: judged only
once those months are over.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.diary.loans import months_after
from models import HOUSEHOLD_STATUSES, Household, StatusChange

SUSTAINED_MONTHS = 12


class StatusError(ValueError):
    """A status change that cannot be; the message says why."""


@dataclass(frozen=True, slots=True)
class Change:
    old: str | None
    new: str
    on: date
    author: str


async def change_status(
    session: AsyncSession,
    household: Household,
    new_status: str,
    *,
    on: date,
    author: str,
    now: datetime,
) -> Change:
    if new_status not in HOUSEHOLD_STATUSES:
        raise StatusError(f"status {new_status!r}: use {', '.join(HOUSEHOLD_STATUSES)}")
    latest = await session.scalar(
        select(StatusChange.changed_on)
        .where(StatusChange.household_id == household.id)
        .order_by(StatusChange.changed_on.desc())
        .limit(1)
    )
    if latest is not None and on < latest:
        raise StatusError(f"{on.isoformat()} is before the last change ({latest.isoformat()})")
    if new_status == household.status:
        raise StatusError(f"{household.code} is already {new_status}")
    change = Change(household.status, new_status, on, author)
    session.add(
        StatusChange(
            household_id=household.id,
            old_status=household.status,
            new_status=new_status,
            changed_on=on,
            author=author,
            created_at=now,
        )
    )
    household.status = new_status
    await session.flush()
    return change


async def histories(session: AsyncSession, household_ids: list[int]) -> dict[int, list[Change]]:
    """Each household's changes, oldest first (one query)."""
    found: dict[int, list[Change]] = defaultdict(list)
    for row in await session.scalars(
        select(StatusChange)
        .where(StatusChange.household_id.in_(household_ids))
        .order_by(StatusChange.household_id, StatusChange.changed_on, StatusChange.id)
    ):
        found[row.household_id].append(
            Change(row.old_status, row.new_status, row.changed_on, row.author)
        )
    return dict(found)


def escaped_on(history: list[Change], start: date, end: date) -> date | None:
    """The day the household last escaped within [start, end], if it did."""
    days = [c.on for c in history if c.new == "escaped" and start <= c.on <= end]
    return days[-1] if days else None


def sustained(history: list[Change], escaped: date, today: date) -> bool | None:
    """Out of poverty for SUSTAINED_MONTHS after ``escaped``: True, False, or None while
    those months are not over."""
    until = months_after(escaped, SUSTAINED_MONTHS)
    if any(escaped < c.on <= until and c.new != "escaped" for c in history):
        return False
    return True if until <= today else None
