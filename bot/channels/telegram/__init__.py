"""Telegram through aiogram 3: long polling or a webhook, and sending from the outbox.

An update is committed to the ``inbound`` table before Telegram is told it was received:
before the next ``getUpdates`` with a higher offset, or before the webhook answers 200.
"""

from bot.channels.telegram import lean_aiogram  # noqa: F401  (before aiogram is imported)
from bot.channels.telegram.channel import TelegramChannel

__all__ = ["TelegramChannel"]
