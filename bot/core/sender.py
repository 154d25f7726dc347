"""The sender loop of one channel: takes due rows from the outbox, replies before bulk,
paced to the platform's limits, with retries, backoff and blocked contacts marked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.context import Clock
from bot.core.contract import Channel, Reply, SendResult
from bot.core.outage import Outage, retry_delay
from bot.core.pacing import PerKeyBuckets, TokenBucket
from bot.db import transaction
from models import Broadcast, Contact, Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long a claimed row stays ours; a process killed mid-send loses it after this.  It
# must outlast a send (channels time out their requests well before it).
CLAIM_LEASE = timedelta(seconds=30)
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
        outage: Outage | None = None,
    ) -> None:
        self.channel = channel
        self.sessions = sessions
        self.clock = clock
        # No burst overall: even pacing keeps any one-second window under the platform's limit.
        self.global_bucket = TokenBucket(rate_global, burst=1.0)
        self.chat_buckets = PerKeyBuckets(rate_per_chat, per_chat_burst)
        self.outage = outage or Outage()
        self.stop = asyncio.Event()  # run()'s, once it runs
        self.wakeup = asyncio.Event()
        self._broadcast_files: dict[int, bytes | None] = {}

    def wake(self) -> None:
        self.wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        self.stop = stop
        failing = False
        while not stop.is_set():
            try:
                sent_any = await self.send_due()
            except Exception as exc:
                if not self.outage.failed(exc):
                    log.exception("%s sender: pass failed; retrying", self.channel.name)
                failing, sent_any = True, False
            else:
                if failing:
                    self.outage.ok()
                failing = False
            if not sent_any:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), IDLE_POLL_SECONDS)

    def _due(self) -> ColumnElement[bool]:
        now = self.clock()
        waiting = and_(
            Outbox.status == "pending",
            or_(Outbox.not_before.is_(None), Outbox.not_before <= now),
        )
        # A claim whose lease ran out belongs to a process that died while sending.
        abandoned = and_(Outbox.status == "sending", Outbox.not_before <= now)
        return and_(Outbox.channel == self.channel.name, or_(waiting, abandoned))

    def _sendable(self, rows: Sequence[Outbox]) -> list[Outbox]:
        """The rows whose chat is within its limit now; the others wait, unclaimed."""
        taken: Counter[str] = Counter()
        chosen = []
        for row in rows:
            bucket = self.chat_buckets.get(row.address)
            if bucket.wait_time() == 0 and taken[row.address] < int(bucket.tokens):
                taken[row.address] += 1
                chosen.append(row)
        return chosen

    async def _claim(self, rows: list[Outbox]) -> set[int]:
        """Mark rows as being sent (a lease), so a second process never sends them too."""
        if not rows:
            return set()
        async with transaction(self.sessions) as session:
            claimed = await session.scalars(
                update(Outbox)
                .where(Outbox.id.in_([row.id for row in rows]), self._due())
                .values(status="sending", not_before=self.clock() + CLAIM_LEASE)
                .returning(Outbox.id)
            )
            return set(claimed)

    async def send_due(self) -> bool:
        """One pass over due rows; True when something was sent or settled."""
        async with self.sessions() as session:
            rows = (
                await session.scalars(
                    select(Outbox)
                    .where(self._due())
                    .order_by(Outbox.priority, Outbox.id)
                    .limit(BATCH)
                )
            ).all()
        if not rows:
            return False
        sendable = self._sendable(rows)
        if not sendable:
            await asyncio.sleep(min(self.chat_buckets.get(r.address).wait_time() for r in rows))
            return False
        claimed = await self._claim(sendable)
        by_chat: dict[str, list[Outbox]] = {}
        for row in sendable:
            if row.id in claimed:  # else another process took it
                by_chat.setdefault(row.address, []).append(row)
        # Chats in parallel, each chat's messages in order; the buckets keep the pace.
        await asyncio.gather(*(self._send_chat(rows) for rows in by_chat.values()))
        return bool(claimed)

    async def _send_chat(self, rows: list[Outbox]) -> None:
        for row in rows:
            while (wait := self.global_bucket.wait_time()) > 0:
                await asyncio.sleep(wait)
            self.global_bucket.take()
            self.chat_buckets.get(row.address).take()
            # Settled one by one: a crash can repeat at most the sends in flight.
            await self._settle_patiently(row, await self._send(row))

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

    def _outcome(self, row: Outbox, result: SendResult) -> dict[str, object]:
        """The row's new values after one attempt."""
        now = self.clock()
        values: dict[str, object] = {"attempts": row.attempts + 1}
        if result.ok:
            values |= {"status": "sent", "sent_at": now, "external_id": result.external_id}
        elif result.blocked:
            values |= {"status": "blocked", "error": result.error}
        elif result.retry_after is not None:
            self.global_bucket.pause(result.retry_after)
            values |= {
                "status": "pending",
                "not_before": now + timedelta(seconds=result.retry_after),
                "attempts": row.attempts,  # the platform's pacing is not a failure
            }
        elif result.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
            values |= {"status": "failed", "error": result.error}
            log.warning("%s: giving up on outbox %s: %s", self.channel.name, row.id, result.error)
        else:
            backoff = min(2 ** (row.attempts + 1), 300)
            values |= {
                "status": "pending",
                "not_before": now + timedelta(seconds=backoff),
                "error": result.error,
            }
        return values

    async def _settle_patiently(self, row: Outbox, result: SendResult) -> None:
        """Record a send's result, waiting out a database that is unavailable: given up,
        the row's claim would run out and the message go out a second time."""
        tries = 0
        while True:
            try:
                await self._settle(row, result)
            except Exception as exc:
                if not self.outage.failed(exc):
                    raise
                if self.stop.is_set():
                    log.warning("outbox %s: result not recorded; it may be sent again", row.id)
                    raise
                tries += 1
                await asyncio.sleep(retry_delay(tries))
            else:
                if tries:
                    self.outage.ok()
                return

    async def _settle(self, row: Outbox, result: SendResult) -> None:
        async with transaction(self.sessions) as session:
            await session.execute(
                update(Outbox).where(Outbox.id == row.id).values(**self._outcome(row, result))
            )
            if result.blocked and row.contact_id is not None:
                await session.execute(
                    update(Contact).where(Contact.id == row.contact_id).values(blocked=True)
                )
