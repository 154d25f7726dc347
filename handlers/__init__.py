"""Conversation features, one module each.  The order of routes is written here, once:
joining first, then features, free-text readers, and the catch-all last."""

from __future__ import annotations

from bot.core.router import Router
from handlers import diary, fallback, guide, join, loans, mydata, settings, summary


def build_router() -> Router:
    router = Router()
    for feature in (join, guide, settings, mydata, loans, summary, diary, fallback):
        feature.register(router)
    return router
