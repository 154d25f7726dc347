"""Zalo Bot API updates as channel-neutral :class:`Update` objects.

An update is ``{"event_name": "message.text.received", "message": {...}}``; getUpdates and
the webhook both wrap it as ``{"ok": true, "result": update}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.contract import Incoming, IncomingKind, Update

CHANNEL = "zalo"

_KINDS: dict[str, IncomingKind] = {
    "message.text.received": "text",
    "message.image.received": "photo",
    "message.sticker.received": "sticker",
    "message.voice.received": "voice",
    # Zalo withholds the content of some messages (certain senders, kinds it does not
    # pass on): the person still wrote something, so it is answered, not dropped.
    "message.unsupported.received": "other",
}
_KINDS_BY_FIELD: tuple[tuple[str, IncomingKind], ...] = (
    ("text", "text"),
    ("photo", "photo"),
    ("sticker", "sticker"),
    ("voice_url", "voice"),
)


def unwrap(body: Any) -> Mapping[str, Any] | None:
    """The update in a webhook body (a bare update is taken too); ``None`` if there is none."""
    inner = body.get("result", body) if isinstance(body, Mapping) else None
    return inner if isinstance(inner, Mapping) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _kind(update: Mapping[str, Any], message: Mapping[str, Any]) -> IncomingKind:
    event = _KINDS.get(_text(update.get("event_name")))
    if event is not None:
        return event
    # The docs' getUpdates sample has no event_name: tell the kind by the content.
    for field, kind in _KINDS_BY_FIELD:
        if message.get(field):
            return kind
    return "other"


def convert(update: Mapping[str, Any]) -> Update | None:
    """The neutral update, or ``None`` for what the bot ignores on purpose: group chats
    (the bot serves private chats only) and anything that is not a message."""
    message = update.get("message")
    if not isinstance(message, Mapping):
        return None
    chat = message.get("chat")
    message_id = message.get("message_id")
    if not isinstance(chat, Mapping) or not chat.get("id") or not message_id:
        return None
    if str(chat.get("chat_type", "PRIVATE")).upper() != "PRIVATE":
        return None
    sender = message.get("from")
    sender = sender if isinstance(sender, Mapping) else {}
    # The Webhook page names it display_name, the getUpdates sample first_name.
    name = _text(sender.get("display_name")) or _text(sender.get("first_name"))
    return Update(
        str(message_id),
        Incoming(
            channel=CHANNEL,
            address=str(chat["id"]),
            kind=_kind(update, message),
            text=_text(message.get("text")) or _text(message.get("caption")),
            display_name=name or None,
        ),
    )
