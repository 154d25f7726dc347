"""Queueing messages to contacts outside a conversation (scans, reminders, warnings)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.capabilities import KNOWN
from bot.core.contract import Reply
from bot.core.outbox import insert_outbox, outbox_rows
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
    rows = []
    for contact in contacts:
        caps = KNOWN.get(contact.channel)
        if caps is None or contact.blocked:
            continue
        rows += outbox_rows(
            channel=contact.channel,
            capabilities=caps,
            address=contact.address,
            contact=contact,
            reply=make(translator(contact.locale)),
            key=f"{key}:{contact.id}",
            priority=priority,
        )
    return await insert_outbox(session, rows)
