"""Zalo through the Zalo Bot API: long polling or a webhook, and sending from the outbox.

An update is committed to the ``inbound`` table before the next ``getUpdates`` or before
the webhook answers 200; Zalo delivers at least once, so repeats are dropped by message id.
"""

from bot.channels.zalo.channel import ZaloChannel

__all__ = ["ZaloChannel"]
