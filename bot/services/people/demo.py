"""The demo commune: an officer and a household already joined on the terminal chat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.people.registry import add_area, add_household, add_officer
from models import Area, Contact, Household, Invite

PROVINCE, COMMUNE = "DEMO-VL", "DEMO-AD"
# The demo household's chat: the one chat of the terminal channel (``sinhke demo``).
CHANNEL = ADDRESS = "console"


async def seed(session: AsyncSession, settings: Settings, now: datetime) -> bool:
    """Create the demo records unless they exist; True when created."""
    if await session.scalar(select(Area.id).where(Area.code == COMMUNE)) is not None:
        return False
    await add_area(session, code=PROVINCE, name="Tỉnh Vĩnh Long (demo)", kind="province")
    commune = await add_area(
        session, code=COMMUNE, name="Xã An Định (demo)", kind="commune", parent=PROVINCE
    )
    commune.former_district = "huyện Mỏ Cày Nam (cũ)"
    ttl, secret = settings.invites.ttl_days, settings.invites.secret.get_secret_value()
    officer = await add_officer(
        session,
        name="Trần Thị Thu",
        area=COMMUNE,
        role="officer",
        now=now,
        ttl_days=ttl,
        secret=secret,
    )
    household = await add_household(
        session,
        name="Nguyễn Văn Ba",
        members=4,
        area=COMMUNE,
        status="poor",
        officer=officer.code,
        now=now,
        ttl_days=ttl,
        secret=secret,
    )
    invite = await session.scalar(select(Invite).where(Invite.household_id == household.id))
    assert invite is not None
    invite.used_at = now
    _link_console(session, settings, household.id, now)
    return True


async def linked(session: AsyncSession) -> bool:
    """Whether the terminal chat is still linked to its household."""
    found = await session.scalar(
        select(Contact.id).where(Contact.channel == CHANNEL, Contact.address == ADDRESS)
    )
    return found is not None


async def start_again(session: AsyncSession, settings: Settings, now: datetime) -> bool:
    """Link the terminal chat to the demo household again (after /xoadulieu); False when
    it is linked already."""
    if await linked(session):
        return False
    household_id = await session.scalar(
        select(Household.id)
        .join(Area, Area.id == Household.area_id)
        .where(Area.code == COMMUNE)
        .order_by(Household.id)
    )
    if household_id is None:
        return False
    _link_console(session, settings, household_id, now)
    return True


def _link_console(
    session: AsyncSession, settings: Settings, household_id: int, now: datetime
) -> None:
    session.add(
        Contact(
            channel=CHANNEL,
            address=ADDRESS,
            display_name="Nguyễn Văn Ba",
            household_id=household_id,
            locale=settings.programme.default_locale,
            consent_version=settings.programme.consent_version,
            consent_at=now,
        )
    )
