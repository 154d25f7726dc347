"""Storing updates before they are acknowledged (DESIGN §2, "nothing acknowledged is lost")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.contract import Incoming
from bot.core.sql import insert_ignore_many
from bot.db import transaction
from bot.ops.metrics import UPDATES_RECEIVED
from models import Inbound


@dataclass(frozen=True, slots=True)
class Update:
    """An update as an adapter hands it over: its platform id and what it says."""

    external_id: str
    incoming: Incoming


def _row(update: Update) -> dict[str, Any]:
    return {
        "channel": update.incoming.channel,
        "external_id": update.external_id,
        "address": update.incoming.address,
        "payload": update.incoming.to_json(),
        "status": "pending",
        "attempts": 0,
    }


async def record_batch(
    sessions: async_sessionmaker[AsyncSession], updates: list[Update]
) -> list[tuple[int, Update]]:
    """Commit a batch of updates in one transaction (one INSERT); returns the new ones with
    their ids (repeats the platform delivered before are left out)."""
    unique = {(u.incoming.channel, u.external_id): u for u in updates}  # a repeat in the batch
    async with transaction(sessions) as session:
        ids = await insert_ignore_many(
            session,
            Inbound.__table__,  # type: ignore[arg-type]
            [_row(update) for update in unique.values()],
            ["channel", "external_id"],
        )
    stored = [(ids[key], update) for key, update in unique.items() if key in ids]
    for _id, update in stored:
        UPDATES_RECEIVED.inc(channel=update.incoming.channel)
    return stored
