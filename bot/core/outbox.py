"""Queueing replies for the sender, shaped to what the channel can show."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.answers import remember
from bot.core.contract import Capabilities, Reply
from bot.core.sql import insert_ignore_many
from bot.textutil import split_message
from models import PRIORITY_REPLY, Contact, Outbox


def numbered_options(reply: Reply) -> str:
    """Buttons as numbered options for a platform without buttons: "1. Thu  2. Chi"."""
    return "  ".join(
        f"{number}. {button.label}" for number, button in enumerate(reply.flat_buttons(), 1)
    )


def shape(reply: Reply, capabilities: Capabilities) -> list[Reply]:
    """Split a reply at the channel's limit, turning buttons into numbered options
    where the channel has none.  Buttons and attachments ride on the last part."""
    text = reply.text
    buttons = reply.buttons
    if buttons and not capabilities.buttons:
        text = f"{text}\n{numbered_options(reply)}"
        buttons = ()
    parts = split_message(text, capabilities.text_limit) or [""]
    shaped = [Reply(part) for part in parts[:-1]]
    shaped.append(Reply(parts[-1], buttons, reply.attachment, reply.edit and len(parts) == 1))
    return shaped


def outbox_rows(
    *,
    channel: str,
    capabilities: Capabilities,
    address: str,
    contact: Contact | None,
    reply: Reply,
    key: str,
    priority: int = PRIORITY_REPLY,
    broadcast_id: int | None = None,
    edit_ref: str | None = None,
    asked_now: bool = False,
) -> list[dict[str, Any]]:
    """The outbox rows that send ``reply``; parts get keys ``key#0``, ``key#1`` … so a
    repeat adds nothing.  What the reply asks is remembered on the contact, so a typed
    answer can be read back (:mod:`bot.core.answers`); ``asked_now`` says the reply asks
    for the state its handler just set."""
    if contact is not None:
        remember(contact, reply, asked_now=asked_now)
    rows = []
    for index, part in enumerate(shape(reply, capabilities)):
        body = part.to_json()
        if part.edit and edit_ref and capabilities.edits:
            body["edit_ref"] = edit_ref
        rows.append(
            {
                "key": f"{key}#{index}",
                "channel": channel,
                "address": address,
                "contact_id": contact.id if contact else None,
                "priority": priority,
                "body": body,
                "attachment": part.attachment.data if part.attachment else None,
                "status": "pending",
                "attempts": 0,
                "broadcast_id": broadcast_id,
            }
        )
    return rows


async def insert_outbox(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Queue outbox rows (of :func:`outbox_rows`), a hundred to a statement; a key
    already queued is left as it is.  Returns the number of new rows."""
    return len(await insert_ignore_many(session, _OUTBOX, rows, ["key"]))


_OUTBOX = cast(Table, Outbox.__table__)
