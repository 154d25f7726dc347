"""Storing updates before they are acknowledged (DESIGN §2, "nothing acknowledged is lost").

Every channel's adapter hands what it received to an :class:`InboundSink`: it is stored in
the ``inbound`` table and committed, then handed to the worker lanes.  The adapter tells
the platform it was received only after that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.contract import Channel, Update
from bot.core.outage import Outage, retry_delay
from bot.core.sql import insert_ignore_many
from bot.db import transaction
from bot.ops.metrics import UPDATES_RECEIVED
from models import Contact, Inbound

log = logging.getLogger(__name__)

# Hands a stored update (its inbound id and chat address) to the worker lanes.
Submit = Callable[[int, str], None]


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
    sessions: async_sessionmaker[AsyncSession], updates: Sequence[Update]
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


class InboundSink:
    """The one way in, for one channel (see :class:`bot.core.contract.Sink`)."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        channel: Channel,
        submit: Submit,
        outage: Outage,
    ) -> None:
        self.sessions = sessions
        self.channel = channel
        self.submit = submit
        self.outage = outage

    async def _store(self, updates: Sequence[Update]) -> None:
        """Commit the updates, then hand the new ones to the workers."""
        if not updates:
            return
        for inbound_id, update in await record_batch(self.sessions, updates):
            self.submit(inbound_id, update.incoming.address)

    async def store(self, updates: Sequence[Update]) -> None:
        """Keep trying while the database is unavailable: a platform must not be told an
        update was received (the next poll) before it is stored.  If that lasts, the
        updates' chats are told once."""
        tries = 0
        while True:
            try:
                await self._store(updates)
            except Exception as exc:
                tries += 1
                if not self.outage.failed(exc) and tries == 1:
                    log.exception(
                        "%s: cannot store updates; retrying until stored", self.channel.name
                    )
                if self.outage.long:
                    chats = [update.incoming.address for update in updates]
                    await self.outage.tell(self.channel, chats)
                await asyncio.sleep(retry_delay(tries))
            else:
                if tries:
                    self.outage.ok()
                return

    async def store_now(self, updates: Sequence[Update]) -> bool:
        try:
            await self._store(updates)
        except Exception as exc:
            if not self.outage.failed(exc):
                log.exception(
                    "%s webhook: cannot store the update; the platform will retry",
                    self.channel.name,
                )
            return False
        return True

    async def officer_chats(self) -> list[str]:
        async with self.sessions() as session:
            chats = await session.scalars(
                select(Contact.address).where(
                    Contact.channel == self.channel.name,
                    Contact.officer_id.is_not(None),
                    Contact.blocked.is_(False),
                )
            )
            return list(chats)
