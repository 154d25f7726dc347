"""The sender loop of one channel: takes due rows from the outbox, replies before bulk,
paced to the platform's limits, with retries, backoff and blocked contacts marked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.context import Clock
from bot.core.contract import Channel, Reply, SendResult
from bot.core.outage import Outage, retry_delay
from bot.core.pacing import PerKeyBuckets, TokenBucket
from bot.db import transaction
from bot.ops.metrics import RATE_LIMITED, SENDS
from models import Broadcast, Contact, Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long a claimed row stays ours; a process killed mid-send loses it after this.  It
# must outlast a send (channels time out their requests well before it).
CLAIM_LEASE = timedelta(seconds=30)
BATCH = 20  # small, so a reply queued during a broadcast waits for at most this many sends
IDLE_POLL_SECONDS = 0.5
# Sends finishing this close together are settled in one transaction: under load it
# saves a transaction per reply (on PostgreSQL three round trips); paced sends, further
# apart, are still settled one by one.
SETTLE_LINGER = 0.005


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
        after_sent: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.channel = channel
        self.sessions = sessions
        self.clock = clock
        # No burst overall: even pacing keeps any one-second window under the platform's limit.
        self.global_bucket = TokenBucket(rate_global, burst=1.0)
        self.chat_buckets = PerKeyBuckets(rate_per_chat, per_chat_burst)
        self.outage = outage or Outage()
        # Called after each message the platform took, before it is recorded (e.g. a
        # platform's monthly quota watched, see bot.app.QuotaWatch).
        self.after_sent = after_sent
        self.stop = asyncio.Event()  # run()'s, once it runs
        self.wakeup = asyncio.Event()
        self._broadcast_files: dict[int, bytes | None] = {}
        self._unsettled: list[tuple[Row[Any], dict[str, Any]]] = []

    def wake(self) -> None:
        self.wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        self.stop = stop
        failing = False
        while not stop.is_set():
            # Cleared before the pass: a row queued while it runs wakes the next one.
            self.wakeup.clear()
            try:
                more = await self.send_due()
            except Exception as exc:
                if not self.outage.failed(exc):
                    log.exception("%s sender: pass failed; retrying", self.channel.name)
                failing, more = True, False
            else:
                if failing:
                    self.outage.ok()
                failing = False
            if not more:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), IDLE_POLL_SECONDS)

    def _sendable(self, rows: Sequence[Row[Any]]) -> list[Row[Any]]:
        """The rows whose chat is within its limit now; the others wait, unclaimed."""
        taken: Counter[str] = Counter()
        chosen = []
        for row in rows:
            bucket = self.chat_buckets.get(row.address)
            if bucket.wait_time() == 0 and taken[row.address] < int(bucket.tokens):
                taken[row.address] += 1
                chosen.append(row)
        return chosen

    async def send_due(self) -> bool:
        """One pass: claim due rows, send them, settle them.  True when more may be due
        at once (the batch was full, or a chat had to wait for its pace)."""
        now = self.clock()
        due = {"of_channel": self.channel.name, "due_at": now}
        async with transaction(self.sessions) as session:
            rows = (await session.execute(_DUE_ROWS, due)).all()
            sendable = self._sendable(rows)
            # Marked as being sent (a lease), so a second process never sends them too.
            claim = {**due, "ids": [row.id for row in sendable], "lease": now + CLAIM_LEASE}
            claimed = set(await session.scalars(_CLAIM, claim)) if sendable else set()
        if rows and not sendable:
            await asyncio.sleep(min(self.chat_buckets.get(r.address).wait_time() for r in rows))
            return True
        by_chat: dict[str, list[Row[Any]]] = {}
        for row in sendable:
            if row.id in claimed:  # else another process took it
                by_chat.setdefault(row.address, []).append(row)
        # Chats in parallel, each chat's messages in order; the buckets keep the pace.
        await asyncio.gather(*(self._send_chat(rows) for rows in by_chat.values()))
        return len(rows) == BATCH or len(sendable) < len(rows)

    async def _send_chat(self, rows: list[Row[Any]]) -> None:
        for row in rows:
            while (wait := self.global_bucket.wait_time()) > 0:
                await asyncio.sleep(wait)
            self.global_bucket.take()
            self.chat_buckets.get(row.address).take()
            result = await self._send(row)
            if result.ok and self.after_sent is not None:
                await self.after_sent()
            await self._settle_soon(row, self._outcome(row, result))

    async def _settle_soon(self, row: Row[Any], values: dict[str, Any]) -> None:
        """Record a send at once; sends that finish within SETTLE_LINGER of each other
        are written in one transaction.  A crash repeats at most those."""
        self._unsettled.append((row, values))
        await asyncio.sleep(SETTLE_LINGER)  # let the others finishing now join in
        if self._unsettled:
            settled, self._unsettled = self._unsettled, []
            await self._settle_patiently(settled)

    async def _attachment(self, row: Row[Any]) -> bytes | None:
        """A broadcast keeps one copy of its file for all its rows (read once, cached)."""
        if row.attachment is not None or row.broadcast_id is None or "attachment" not in row.body:
            own: bytes | None = row.attachment
            return own
        if row.broadcast_id not in self._broadcast_files:
            async with self.sessions() as session:
                self._broadcast_files[row.broadcast_id] = await session.scalar(
                    select(Broadcast.attachment).where(Broadcast.id == row.broadcast_id)
                )
        return self._broadcast_files[row.broadcast_id]

    async def _send(self, row: Row[Any]) -> SendResult:
        try:
            return await self.channel.send(
                row.address,
                Reply.from_json(row.body, await self._attachment(row)),
                edit_ref=row.body.get("edit_ref"),
            )
        except Exception as exc:  # a network error, a timeout: retry later
            return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")

    def _outcome(self, row: Row[Any], result: SendResult) -> dict[str, Any]:
        """The row's new values after one attempt."""
        now = self.clock()
        # Every outcome sets the same columns (one statement settles them all); what an
        # outcome does not change keeps the row's value (a past error stays on record).
        values: dict[str, Any] = {
            "attempts": row.attempts + 1,
            "sent_at": row.sent_at,
            "external_id": row.external_id,
            "error": row.error,
            "not_before": row.not_before,
        }
        channel = self.channel.name
        if result.ok:
            SENDS.inc(channel=channel, result="sent")
            values |= {"status": "sent", "sent_at": now, "external_id": result.external_id}
        elif result.blocked:
            SENDS.inc(channel=channel, result="blocked")
            values |= {"status": "blocked", "error": result.error}
        elif result.retry_after is not None:
            SENDS.inc(channel=channel, result="rate_limited")
            RATE_LIMITED.inc(channel=channel)
            self.global_bucket.pause(result.retry_after)
            values |= {
                "status": "pending",
                "not_before": now + timedelta(seconds=result.retry_after),
                "attempts": row.attempts,  # the platform's pacing is not a failure
            }
        elif result.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
            SENDS.inc(channel=channel, result="failed")
            values |= {"status": "failed", "error": result.error}
            log.warning("%s: giving up on outbox %s: %s", self.channel.name, row.id, result.error)
        else:
            SENDS.inc(channel=channel, result="retry")
            backoff = min(2 ** (row.attempts + 1), 300)
            values |= {
                "status": "pending",
                "not_before": now + timedelta(seconds=backoff),
                "error": result.error,
            }
        return values

    async def _settle_patiently(self, settled: list[tuple[Row[Any], dict[str, Any]]]) -> None:
        """Record sends, waiting out a database that is unavailable: given up, the rows'
        claims would run out and the messages go out a second time."""
        tries = 0
        while True:
            try:
                await self._settle(settled)
            except Exception as exc:
                if not self.outage.failed(exc):
                    raise
                if self.stop.is_set():
                    ids = [row.id for row, _values in settled]
                    log.warning("outbox %s: sent, not recorded; may be sent again", ids)
                    raise
                tries += 1
                await asyncio.sleep(retry_delay(tries))
            else:
                if tries:
                    self.outage.ok()
                return

    async def _settle(self, settled: list[tuple[Row[Any], dict[str, Any]]]) -> None:
        blocked = [
            row.contact_id
            for row, values in settled
            if values["status"] == "blocked" and row.contact_id is not None
        ]
        async with transaction(self.sessions) as session:
            await session.execute(
                _SETTLE, [{"row_id": row.id, **values} for row, values in settled]
            )
            if blocked:
                await session.execute(
                    update(Contact).where(Contact.id.in_(blocked)).values(blocked=True)
                )


# The hot path's statements, built once on the table (SQLAlchemy finds them compiled and
# skips the ORM's work).  A row is due when it waits and its time has come, or when its
# claim's lease ran out (the process that claimed it died while sending).  The status
# IN is implied by the OR, but says it so the index (channel, status, …) is searched for
# those two statuses alone: without it SQLite read every row the channel ever sent.
_OUTBOX = cast(Table, Outbox.__table__)
_DUE = and_(
    _OUTBOX.c.channel == bindparam("of_channel"),
    _OUTBOX.c.status.in_(("pending", "sending")),
    or_(
        and_(
            _OUTBOX.c.status == "pending",
            or_(_OUTBOX.c.not_before.is_(None), _OUTBOX.c.not_before <= bindparam("due_at")),
        ),
        and_(_OUTBOX.c.status == "sending", _OUTBOX.c.not_before <= bindparam("due_at")),
    ),
)
_DUE_ROWS = select(_OUTBOX).where(_DUE).order_by(_OUTBOX.c.priority, _OUTBOX.c.id).limit(BATCH)
_CLAIM = (
    _OUTBOX.update()
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)), _DUE)
    .values(status="sending", not_before=bindparam("lease"))
    .returning(_OUTBOX.c.id)
)
_SETTLE = _OUTBOX.update().where(_OUTBOX.c.id == bindparam("row_id"))
