"""Who to reach and who may see whom: the chat accounts of a household, of an officer, of
the admins above, and the households an officer may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Area, Contact, Household, Officer


def _reachable() -> ColumnElement[bool]:
    return and_(Contact.consent_at.is_not(None), Contact.blocked.is_(False))


async def household_contacts(session: AsyncSession, household_id: int) -> list[Contact]:
    return list(
        await session.scalars(
            select(Contact).where(Contact.household_id == household_id, _reachable())
        )
    )


async def officer_contacts(session: AsyncSession, officer_ids: list[int]) -> list[Contact]:
    if not officer_ids:
        return []
    return list(
        await session.scalars(
            select(Contact).where(Contact.officer_id.in_(officer_ids), _reachable())
        )
    )


async def ancestor_area_ids(session: AsyncSession, area_id: int) -> list[int]:
    """The area and every area above it."""
    ids: list[int] = []
    current: int | None = area_id
    while current is not None and current not in ids:
        ids.append(current)
        current = await session.scalar(select(Area.parent_id).where(Area.id == current))
    return ids


async def descendant_area_ids(session: AsyncSession, area_id: int) -> list[int]:
    """The area and every area below it."""
    ids, frontier = [area_id], [area_id]
    while frontier:
        frontier = list(await session.scalars(select(Area.id).where(Area.parent_id.in_(frontier))))
        ids += frontier
    return ids


async def admins_over(session: AsyncSession, area_id: int) -> list[Officer]:
    """Admins of the area or of any area above it (who receive escalations)."""
    areas = await ancestor_area_ids(session, area_id)
    return list(
        await session.scalars(
            select(Officer).where(Officer.area_id.in_(areas), Officer.role == "admin")
        )
    )


@dataclass(frozen=True, slots=True)
class Sight:
    """The households an officer may see: those of some areas, and those assigned to them."""

    area_ids: list[int]
    officer_id: int | None

    def covers(self, household: Household) -> bool:
        return household.area_id in self.area_ids or (
            self.officer_id is not None and household.officer_id == self.officer_id
        )

    def clause(self) -> ColumnElement[bool]:
        """The same rule as :meth:`covers`, for a query on ``household``."""
        assigned = [Household.officer_id == self.officer_id] if self.officer_id is not None else []
        return or_(Household.area_id.in_(self.area_ids), *assigned)


async def sight_of(session: AsyncSession, officer: Officer) -> Sight:
    """Officers see the households of their own area and those assigned to them; admins
    every area below theirs."""
    if officer.role == "admin":
        return Sight(await descendant_area_ids(session, officer.area_id), None)
    return Sight([officer.area_id], officer.id)


async def may_see(session: AsyncSession, officer: Officer, household: Household) -> bool:
    return (await sight_of(session, officer)).covers(household)


async def visible_household_ids(session: AsyncSession, officer: Officer) -> list[int]:
    sight = await sight_of(session, officer)
    return list(await session.scalars(select(Household.id).where(sight.clause())))


async def responsible_contacts(session: AsyncSession, household: Household) -> list[Contact]:
    """The household's officer's chats, or the admins' above when the officer has none."""
    contacts = await officer_contacts(
        session, [household.officer_id] if household.officer_id else []
    )
    if contacts:
        return contacts
    return await officer_contacts(
        session, [admin.id for admin in await admins_over(session, household.area_id)]
    )


async def households_by_codes(
    session: AsyncSession, area_id: int, codes: Sequence[str]
) -> tuple[list[Household], list[str]]:
    """The households of the area (and the areas below it) with these codes, and the
    codes not found there."""
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    areas = await descendant_area_ids(session, area_id)
    found = list(
        await session.scalars(
            select(Household).where(Household.code.in_(wanted), Household.area_id.in_(areas))
        )
    )
    known = {household.code for household in found}
    return found, [code for code in wanted if code not in known]
