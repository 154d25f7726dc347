"""Forgetting a chat account: what it wrote, and the link to its household."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Contact, Inbound, Outbox


async def forget_contacts(session: AsyncSession, contacts: list[Contact]) -> None:
    """Delete the chat accounts; redact what they wrote (the inbound table) and what the
    bot already sent them (the outbox: replies repeat the sums), and unhook the outbox
    rows that still point at them (what waits to be sent still goes)."""
    for contact in contacts:
        await session.execute(
            update(Inbound)
            .where(Inbound.channel == contact.channel, Inbound.address == contact.address)
            .values(payload={"redacted": True})
        )
        await session.execute(
            update(Outbox)
            .where(
                Outbox.channel == contact.channel,
                Outbox.address == contact.address,
                Outbox.status.not_in(("pending", "sending")),
            )
            .values(body={"redacted": True}, attachment=None)
        )
    ids = [contact.id for contact in contacts]
    await session.execute(update(Outbox).where(Outbox.contact_id.in_(ids)).values(contact_id=None))
    await session.execute(delete(Contact).where(Contact.id.in_(ids)))
