"""Queueing messages to contacts outside a conversation (scans, reminders, warnings)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Reply
from bot.core.outbox import OutboxBatch
from bot.i18n import Translator, translator
from models import PRIORITY_NOTICE, Contact


async def notify(
    session: AsyncSession,
    contacts: list[Contact],
    make: Callable[[Translator], Reply],
    *,
    key: str,
    priority: int = PRIORITY_NOTICE,
) -> int:
    """Queue ``make(t)`` for each contact in its own language; ``key:<contact id>`` keeps
    each message to each person unique.  Returns the number of new messages."""
    outbox = OutboxBatch()
    for contact in contacts:
        if outbox.reaches(contact):
            reply = make(translator(contact.locale))
            outbox.to_contact(contact, reply, key=f"{key}:{contact.id}", priority=priority)
    return await outbox.write(session)
