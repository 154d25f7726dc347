"""The sender loop of one channel: takes due rows from the outbox, replies before bulk,
paced to the platform's limits, with retries, backoff and blocked contacts marked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.context import Clock
from bot.core.contract import Channel, Reply, SendResult
from bot.core.pacing import PerKeyBuckets, TokenBucket
from bot.db import transaction
from models import Broadcast, Contact, Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 20  # small, so a reply queued during a broadcast waits for at most this many sends
IDLE_POLL_SECONDS = 0.5


class Sender:
    def __init__(
        self,
        *,
        channel: Channel,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        rate_global: float,
        rate_per_chat: float,
        per_chat_burst: float = 3.0,
    ) -> None:
        self.channel = channel
        self.sessions = sessions
        self.clock = clock
        self.global_bucket = TokenBucket(rate_global, burst=max(1.0, rate_global / 10))
        self.chat_buckets = PerKeyBuckets(rate_per_chat, per_chat_burst)
        self.wakeup = asyncio.Event()
        self._broadcast_files: dict[int, bytes | None] = {}

    def wake(self) -> None:
        self.wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                sent_any = await self.send_due()
            except Exception:
                log.exception("%s sender: pass failed; retrying", self.channel.name)
                sent_any = False
            if not sent_any:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), IDLE_POLL_SECONDS)

    async def send_due(self) -> bool:
        """One pass over due rows; True when something was sent or settled."""
        async with self.sessions() as session:
            rows = (
                await session.scalars(
                    select(Outbox)
                    .where(
                        Outbox.channel == self.channel.name,
                        Outbox.status == "pending",
                        or_(Outbox.not_before.is_(None), Outbox.not_before <= self.clock()),
                    )
                    .order_by(Outbox.priority, Outbox.id)
                    .limit(BATCH)
                )
            ).all()
        progressed = False
        for row in rows:
            chat = self.chat_buckets.get(row.address)
            if chat.wait_time() > 0:
                continue  # this chat is at its limit; others go ahead
            await asyncio.sleep(self.global_bucket.wait_time())
            self.global_bucket.take()
            chat.take()
            result = await self._send(row)
            await self._settle(row, result)
            progressed = True
        if rows and not progressed:
            await asyncio.sleep(min(self.chat_buckets.get(r.address).wait_time() for r in rows))
        return progressed

    async def _attachment(self, row: Outbox) -> bytes | None:
        """A broadcast keeps one copy of its file for all its rows (read once, cached)."""
        if row.attachment is not None or row.broadcast_id is None or "attachment" not in row.body:
            return row.attachment
        if row.broadcast_id not in self._broadcast_files:
            async with self.sessions() as session:
                self._broadcast_files[row.broadcast_id] = await session.scalar(
                    select(Broadcast.attachment).where(Broadcast.id == row.broadcast_id)
                )
        return self._broadcast_files[row.broadcast_id]

    async def _send(self, row: Outbox) -> SendResult:
        try:
            return await self.channel.send(
                row.address,
                Reply.from_json(row.body, await self._attachment(row)),
                edit_ref=row.body.get("edit_ref"),
            )
        except Exception as exc:  # a network error, a timeout: retry later
            return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")

    async def _settle(self, row: Outbox, result: SendResult) -> None:
        now = self.clock()
        values: dict[str, object] = {"attempts": row.attempts + 1}
        if result.ok:
            values |= {"status": "sent", "sent_at": now, "external_id": result.external_id}
        elif result.blocked:
            values |= {"status": "blocked", "error": result.error}
        elif result.retry_after is not None:
            self.global_bucket.pause(result.retry_after)
            values |= {"not_before": now + timedelta(seconds=result.retry_after)}
            values["attempts"] = row.attempts  # the platform's pacing is not a failure
        elif result.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
            values |= {"status": "failed", "error": result.error}
            log.warning("%s: giving up on outbox %s: %s", self.channel.name, row.id, result.error)
        else:
            backoff = min(2 ** (row.attempts + 1), 300)
            values |= {"not_before": now + timedelta(seconds=backoff), "error": result.error}
        async with transaction(self.sessions) as session:
            await session.execute(update(Outbox).where(Outbox.id == row.id).values(**values))
            if result.blocked and row.contact_id is not None:
                await session.execute(
                    update(Contact).where(Contact.id == row.contact_id).values(blocked=True)
                )
