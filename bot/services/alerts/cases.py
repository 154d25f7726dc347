"""A household's request for help: opening it and finding the open ones (what it is about
is read by :mod:`bot.language.help`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Case, Household


async def open_case(
    session: AsyncSession, household: Household, topic: str, text: str, now: datetime
) -> Case:
    """A request of ``household`` about ``topic``, in its own words (the first 2,000
    characters), flushed so that its id can go on buttons."""
    case = Case(household_id=household.id, topic=topic, text=text[:2000], opened_at=now)
    session.add(case)
    await session.flush()
    return case


async def unclosed_cases(session: AsyncSession, household_id: int, limit: int) -> list[Case]:
    """The household's latest requests not closed yet, newest first."""
    return list(
        await session.scalars(
            select(Case)
            .where(Case.household_id == household_id, Case.status != "closed")
            .order_by(Case.opened_at.desc())
            .limit(limit)
        )
    )
