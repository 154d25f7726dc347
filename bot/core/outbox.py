"""The one way out: replies, notices and broadcasts are queued in the outbox here, shaped
to what each channel can show, for the channel's sender (bot.core.sender)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.answers import remember
from bot.core.capabilities import KNOWN
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


class OutboxBatch:
    """Messages gathered, then queued together: one INSERT per hundred rows, a key
    already queued left as it is.  Messages to a channel with no known capabilities are
    left out, and so are those to a contact that blocked the bot."""

    def __init__(self, capabilities: Mapping[str, Capabilities] = KNOWN) -> None:
        self.capabilities = capabilities
        self.rows: list[dict[str, Any]] = []
        self.channels: set[str] = set()  # those with something to send

    def reaches(self, contact: Contact) -> bool:
        return contact.channel in self.capabilities and not contact.blocked

    def add(
        self,
        *,
        channel: str,
        address: str,
        contact: Contact | None,
        reply: Reply,
        key: str,
        priority: int = PRIORITY_REPLY,
        broadcast_id: int | None = None,
        edit_ref: str | None = None,
        asked_now: bool = False,
        remember_question: bool = True,
    ) -> None:
        """``reply`` to a chat, split into parts with keys ``key#0``, ``key#1`` … (so a
        repeat adds nothing).  What the reply asks is remembered on the contact (unless
        ``remember_question`` is False), so a typed answer can be read back
        (:mod:`bot.core.answers`); ``asked_now`` says the reply asks for the state its
        handler just set."""
        capabilities = self.capabilities.get(channel)
        if capabilities is None:
            return
        if contact is not None and remember_question:
            remember(contact, reply, asked_now=asked_now)
        for index, part in enumerate(shape(reply, capabilities)):
            body = part.to_json()
            if part.edit and edit_ref and capabilities.edits:
                body["edit_ref"] = edit_ref
            self.rows.append(
                {
                    "key": f"{key}#{index}",
                    "channel": channel,
                    "address": address,
                    "contact_id": contact.id if contact else None,
                    "priority": priority,
                    "body": body,
                    # A file without bytes is a broadcast's: they stay on its row, one
                    # copy for all its recipients (the sender reads them there).
                    "attachment": (part.attachment.data or None) if part.attachment else None,
                    "status": "pending",
                    "attempts": 0,
                    "broadcast_id": broadcast_id,
                }
            )
        self.channels.add(channel)

    def to_contact(
        self,
        contact: Contact,
        reply: Reply,
        *,
        key: str,
        priority: int,
        broadcast_id: int | None = None,
        remember_question: bool = True,
    ) -> None:
        """``reply`` to a contact's chat, outside the conversation (a notice, a broadcast)."""
        if self.reaches(contact):
            self.add(
                channel=contact.channel,
                address=contact.address,
                contact=contact,
                reply=reply,
                key=key,
                priority=priority,
                broadcast_id=broadcast_id,
                remember_question=remember_question,
            )

    async def write(self, session: AsyncSession, *, unhooked: Collection[int] = ()) -> int:
        """Queue what was gathered; the number of new rows.  Rows to the contacts in
        ``unhooked`` (deleted meanwhile) are queued without their contact."""
        rows = [
            {**row, "contact_id": None} if row["contact_id"] in unhooked else row
            for row in self.rows
        ]
        return len(await insert_ignore_many(session, _OUTBOX, rows, ["key"]))


_OUTBOX = cast(Table, Outbox.__table__)
