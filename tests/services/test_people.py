"""Who may see which household (bot/services/people/people.py): one rule, asked of one
household (``may_see``) or of all of them in a query (``visible_household_ids``)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from bot.services.people import people
from bot.services.people.registry import add_area, add_household, add_officer
from models import Household, Officer

NOW = datetime(2026, 11, 29, tzinfo=UTC)


async def test_visible_households_are_those_the_officer_may_see(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with transaction(sessions) as session:
        await add_area(session, code="P1", name="Tỉnh", kind="province")
        await add_area(session, code="C1", name="Xã Một", kind="commune", parent="P1")
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
        await add_area(session, code="H1", name="Ấp Một", kind="hamlet", parent="C1")
        lan = await add_officer(session, name="Lan", area="C1", role="officer", now=NOW, ttl_days=9)
        await add_officer(session, name="Quản trị", area="P1", role="admin", now=NOW, ttl_days=9)
        for name, area in (("Ba", "C1"), ("Tư", "H1"), ("Năm", "C2"), ("Sáu", "C2")):
            await add_household(session, name=name, members=4, area=area, now=NOW, ttl_days=9)
        # A household of another commune assigned to Lan by name.
        sau = await session.scalar(select(Household).where(Household.head_name == "Sáu"))
        assert sau is not None
        sau.officer_id = lan.id

    async with transaction(sessions) as session:
        households = list(await session.scalars(select(Household).order_by(Household.id)))
        names = {household.id: household.head_name for household in households}
        seen: dict[str, set[str]] = {}
        for officer in await session.scalars(select(Officer).order_by(Officer.id)):
            visible = await people.visible_household_ids(session, officer)
            allowed = [h.id for h in households if await people.may_see(session, officer, h)]
            assert sorted(visible) == allowed
            seen[officer.name] = {names[household_id] for household_id in visible}
    # The officer: the commune itself and the household assigned; the hamlet below is not
    # the officer's area.  The admin: every area below the province.
    assert seen == {"Lan": {"Ba", "Sáu"}, "Quản trị": {"Ba", "Tư", "Năm", "Sáu"}}
