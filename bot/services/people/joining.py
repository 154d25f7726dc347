"""Linking a chat account by a one-time invite: wrong codes counted, the invite found and
claimed once, and chats that never agreed forgotten."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.privacy import forget_contacts
from bot.services.people.registry import invite_hashes
from models import Contact, Invite, JoinAttempt

STRANGERS_KEPT = timedelta(days=1)
WRONG_CODES_COUNT_FOR = timedelta(hours=1)


async def wrong_attempts(session: AsyncSession, channel: str, address: str, now: datetime) -> int:
    """Wrong codes this chat typed in the last hour."""
    count = await session.scalar(
        select(func.count(JoinAttempt.id)).where(
            JoinAttempt.channel == channel,
            JoinAttempt.address == address,
            JoinAttempt.at >= now - WRONG_CODES_COUNT_FOR,
        )
    )
    return int(count or 0)


def record_wrong(session: AsyncSession, channel: str, address: str, now: datetime) -> None:
    session.add(JoinAttempt(channel=channel, address=address, at=now))


async def usable_invite(
    session: AsyncSession, code: str, secret: str, now: datetime
) -> Invite | None:
    """The invite of ``code`` if it is neither used nor expired."""
    invite = await session.scalar(
        select(Invite).where(Invite.code_hash.in_(invite_hashes(code, secret)))
    )
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    return invite


async def linked_accounts(session: AsyncSession, household_id: int) -> int:
    """How many chat accounts the household has."""
    count = await session.scalar(
        select(func.count(Contact.id)).where(Contact.household_id == household_id)
    )
    return int(count or 0)


async def forget_strangers(session: AsyncSession, now: datetime) -> None:
    """Chats asked to agree a day ago that never answered, and wrong codes past the hour
    they count for: nothing of a chat that did not agree is kept longer."""
    stale = list(
        await session.scalars(
            select(Contact).where(
                Contact.consent_at.is_(None),
                Contact.household_id.is_(None),
                Contact.officer_id.is_(None),
                Contact.created_at < now - STRANGERS_KEPT,
            )
        )
    )
    if stale:
        await forget_contacts(session, stale)
    await session.execute(delete(JoinAttempt).where(JoinAttempt.at < now - WRONG_CODES_COUNT_FOR))


async def keep_stranger(
    session: AsyncSession, channel: str, address: str, locale: str, now: datetime
) -> Contact:
    """A chat that typed a good code, kept (to hear its answer) without its name until it
    agrees; the strangers of before are forgotten on the way."""
    await forget_strangers(session, now)
    contact = Contact(channel=channel, address=address, locale=locale, created_at=now)
    session.add(contact)
    await session.flush()
    return contact


async def claim(session: AsyncSession, invite: Invite, now: datetime) -> bool:
    """Mark the invite used; ``False`` when another chat claimed it first.

    Two chats agreeing at once on one code: only the first update of the invite counts
    (the other waits for its row lock, then finds it used).
    """
    claimed = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def link(contact: Contact, invite: Invite, *, consent_version: str, now: datetime) -> None:
    """The chat now belongs to the invite's household or officer, with consent given."""
    contact.household_id = invite.household_id
    contact.officer_id = invite.officer_id
    contact.consent_version = consent_version
    contact.consent_at = now
