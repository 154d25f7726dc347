"""Telegram updates as channel-neutral :class:`Update` objects."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.types import Update as TgUpdate

from bot.core.contract import Incoming, IncomingKind, Update

CHANNEL = "telegram"


def _message_kind(message: Message) -> IncomingKind:
    if message.text is not None:
        return "text"
    if message.sticker is not None:
        return "sticker"
    if message.photo:
        return "photo"
    if message.voice is not None or message.audio is not None or message.video_note is not None:
        return "voice"
    if message.location is not None or message.venue is not None:
        return "location"
    if message.document is not None:
        return "file"
    return "other"


def convert(update: TgUpdate) -> Update | None:
    """The neutral update, or ``None`` for what the bot ignores on purpose: edited
    messages (the original was already read), channel posts and group chats (the bot
    serves private chats only) and update types it never asks for."""
    external_id = str(update.update_id)
    if update.message is not None:
        message = update.message
        if message.chat.type != "private":
            return None
        sender = message.from_user
        return Update(
            external_id,
            Incoming(
                channel=CHANNEL,
                address=str(message.chat.id),
                kind=_message_kind(message),
                text=message.text or message.caption or "",
                display_name=sender.full_name if sender else None,
            ),
        )
    query = update.callback_query
    if query is not None and query.message is not None and query.data is not None:
        if query.message.chat.type != "private":
            return None
        return Update(
            external_id,
            Incoming(
                channel=CHANNEL,
                address=str(query.message.chat.id),
                kind="button",
                payload=query.data,
                display_name=query.from_user.full_name,
                message_ref=str(query.message.message_id),
            ),
        )
    return None


def callback_id(update: TgUpdate) -> str | None:
    return update.callback_query.id if update.callback_query is not None else None
