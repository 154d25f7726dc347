"""Storing updates before they are acknowledged (DESIGN §2, "nothing acknowledged is lost")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.contract import Incoming
from bot.core.sql import insert_ignore
from bot.db import transaction
from models import Inbound


@dataclass(frozen=True, slots=True)
class Update:
    """An update as an adapter hands it over: its platform id and what it says."""

    external_id: str
    incoming: Incoming


async def record(session: AsyncSession, update: Update) -> int | None:
    """Insert one update; ``None`` when the platform delivered it before."""
    return await insert_ignore(
        session,
        Inbound.__table__,  # type: ignore[arg-type]
        {
            "channel": update.incoming.channel,
            "external_id": update.external_id,
            "address": update.incoming.address,
            "payload": update.incoming.to_json(),
            "status": "pending",
            "attempts": 0,
        },
        ["channel", "external_id"],
    )


async def record_batch(
    sessions: async_sessionmaker[AsyncSession], updates: list[Update]
) -> list[tuple[int, Update]]:
    """Commit a batch of updates in one transaction; returns the new ones with their ids
    (repeats the platform delivered before are left out)."""
    new: list[tuple[int, Update]] = []
    async with transaction(sessions) as session:
        for update in updates:
            inbound_id = await record(session, update)
            if inbound_id is not None:
                new.append((inbound_id, update))
    return new
