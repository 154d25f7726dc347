"""Zalo through the Zalo Bot API: long polling or a webhook, and sending from the outbox.

An update is stored by the core's sink before the next ``getUpdates`` or before the
webhook answers 200; Zalo delivers at least once, so repeats are dropped by message id.
"""

from __future__ import annotations

from bot.channels.zalo.channel import ZaloChannel
from bot.config import Settings

__all__ = ["ZaloChannel", "from_settings"]


def from_settings(settings: Settings) -> ZaloChannel | None:
    """The adapter, when ``[zalo]`` has a token."""
    return ZaloChannel(settings) if settings.zalo.token.get_secret_value() else None
