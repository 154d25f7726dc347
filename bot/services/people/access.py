"""Revoking access: an officer who leaves the programme, a chat account that is lost.

Both are audited.  Nothing of the diary goes: a household's entries stay, only the link
from a chat account to the household (or officer) is cut and that chat is forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.audit import audit
from bot.services.people.privacy import forget_contacts
from bot.services.people.registry import RegistryError, officer_by_code
from models import Contact, Entry, Household, Invite, Officer

REMOVED = "removed"  # the role of an officer who no longer has access


@dataclass(frozen=True, slots=True)
class Removed:
    code: str
    name: str
    chats: int  # chat accounts unlinked
    households: int  # households left without an officer (their admins are told instead)


async def remove_officer(session: AsyncSession, code: str, *, actor: str) -> Removed:
    """Unlink the officer's chats, cancel unused invites, free their households."""
    officer = await officer_by_code(session, code)
    if officer.role == REMOVED:
        raise RegistryError(f"officer {code!r} is already removed")
    return await _remove(session, officer, actor=actor)


async def _remove(session: AsyncSession, officer: Officer, *, actor: str) -> Removed:
    contacts = list(await session.scalars(select(Contact).where(Contact.officer_id == officer.id)))
    await forget_contacts(session, contacts)
    await session.execute(
        delete(Invite).where(Invite.officer_id == officer.id, Invite.used_at.is_(None))
    )
    freed = await session.execute(
        update(Household).where(Household.officer_id == officer.id).values(officer_id=None)
    )
    officer.role = REMOVED
    households = int(freed.rowcount or 0)  # type: ignore[attr-defined]
    await audit(
        session,
        actor,
        "officer.remove",
        officer=officer.code,
        chats=len(contacts),
        households=households,
    )
    return Removed(officer.code, officer.name, len(contacts), households)


async def unlink_contacts(session: AsyncSession, contacts: list[Contact], *, actor: str) -> None:
    """Cut the chats' links (a lost phone); the household's diary stays."""
    ids = [contact.id for contact in contacts]
    await session.execute(update(Entry).where(Entry.contact_id.in_(ids)).values(contact_id=None))
    for contact in contacts:
        await audit(
            session,
            actor,
            "contact.unlink",
            household_id=contact.household_id,
            channel=contact.channel,
            officer_id=contact.officer_id,
        )
    await forget_contacts(session, contacts)


async def unlink_chat(session: AsyncSession, channel: str, address: str, *, actor: str) -> Contact:
    contact = await session.scalar(
        select(Contact).where(Contact.channel == channel, Contact.address == address)
    )
    if contact is None:
        raise RegistryError(f"no {channel} chat {address} is linked")
    await unlink_contacts(session, [contact], actor=actor)
    return contact


async def revoke_by_code(
    session: AsyncSession, code: str, *, within: list[int], actor: str
) -> Removed | None:
    """What an admin revokes from chat: an officer (by officer code) or every chat of a
    household (by household code), in the areas ``within``; ``None`` if none is found."""
    officer = await session.scalar(
        select(Officer).where(Officer.code == code, Officer.area_id.in_(within))
    )
    if officer is not None and officer.role != REMOVED:
        return await _remove(session, officer, actor=actor)
    household = await session.scalar(
        select(Household).where(Household.code == code, Household.area_id.in_(within))
    )
    if household is None:
        return None
    contacts = list(
        await session.scalars(select(Contact).where(Contact.household_id == household.id))
    )
    await unlink_contacts(session, contacts, actor=actor)
    return Removed(household.code, household.head_name, len(contacts), 0)
