"""Telegram through aiogram 3: long polling or a webhook, and sending from the outbox.

An update is stored by the core's sink before Telegram is told it was received: before
the next ``getUpdates`` with a higher offset, or before the webhook answers 200.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.telegram import lean_aiogram  # noqa: F401  (before aiogram is imported)
from bot.config import Settings

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel


def from_settings(settings: Settings) -> TelegramChannel | None:
    """The adapter, when ``[telegram]`` has a token (aiogram is imported only then)."""
    if not settings.telegram.token.get_secret_value():
        return None
    from aiogram.utils.token import TokenValidationError

    from bot.channels.telegram.channel import TelegramChannel

    try:
        return TelegramChannel(settings.telegram)
    except TokenValidationError:
        raise ValueError(
            "[telegram] token: not a bot token (digits, a colon, letters: as @BotFather gives it)"
        ) from None
