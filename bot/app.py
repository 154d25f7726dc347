"""Composition: the router, the processor, one inbound sink and one sender per channel,
and the worker lanes that handle stored updates in order per chat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.capabilities import KNOWN
from bot.core.context import Clock
from bot.core.contract import Channel
from bot.core.inbound import InboundSink
from bot.core.outage import (
    DELAY_NOTICE,
    RETRY_SECONDS,
    Outage,
    deterministic,
    error_line,
    retry_delay,
)
from bot.core.processor import Processor
from bot.core.sender import Sender
from bot.db import transaction
from bot.i18n import translator
from bot.services import broadcasts
from bot.services.content.library import ContentLibrary, content_root
from bot.services.messaging.quota import check_quota
from handlers import build_router
from models import Inbound, utcnow

log = logging.getLogger(__name__)

# Updates a lane handles in one transaction at most: a burst costs one commit, not one
# each.  Small, because each reply waits for the whole batch (measured at 100 msg/s on
# SQLite: reply p99 136 ms with 5, 309 ms with 20, for the same throughput).
WORK_BATCH = 5
BROADCAST_PUMP_SECONDS = 2.0
# Updates still pending this long after they arrived are queued again (see replay_pending);
# on PostgreSQL, where other processes take what the leader receives, much sooner.
SWEEP_AFTER = timedelta(seconds=30)
SHARED_SWEEP_AFTER = timedelta(seconds=2)
QUOTA_CHECK_EVERY = 60.0  # seconds between two looks at a channel's sends this month


@dataclass
class Services:
    """Long-lived helpers handlers reach through ``ctx.services``."""

    content: ContentLibrary

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        return cls(content=ContentLibrary(content_root(settings.programme.content_dir)))


class QuotaWatch:
    """After a send, at most once every ``every`` seconds: warn the admins when the
    month's sends on ``channel`` near its monthly quota (bot.services.messaging.quota)."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        channel: str,
        quota: int,
        zone: ZoneInfo,
        clock: Clock,
        every: float = QUOTA_CHECK_EVERY,
    ) -> None:
        self.sessions = sessions
        self.channel = channel
        self.quota = quota
        self.zone = zone
        self.clock = clock
        self.every = every
        self._checked_at: float | None = None

    async def __call__(self) -> None:
        now = time.monotonic()
        if self._checked_at is not None and now - self._checked_at < self.every:
            return
        self._checked_at = now
        try:
            async with transaction(self.sessions) as session:
                warned = await check_quota(
                    session,
                    channel=self.channel,
                    quota=self.quota,
                    now=self.clock(),
                    zone=self.zone,
                )
        except Exception:
            log.exception(
                "%s: cannot check the monthly quota; trying after the next send", self.channel
            )
            return
        if warned:
            log.warning(
                "%s: 80%% of the monthly quota used; %d admin(s) warned", self.channel, warned
            )


class App:
    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        channels: Sequence[Channel],
        clock: Clock = utcnow,
        services: Services | None = None,
        lanes: int = 1,
        sweep_after: timedelta = SWEEP_AFTER,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        # The chats are told in the programme's language: their own is in the database.
        notice = translator(settings.programme.default_locale)._(DELAY_NOTICE)
        self.outage = Outage(notice_after=settings.database.outage_notice_after, notice=notice)
        self.senders = {
            channel.name: Sender(
                channel=channel,
                sessions=sessions,
                clock=clock,
                rate_global=channel.rate_global,
                rate_per_chat=channel.rate_per_chat,
                outage=self.outage,
                after_sent=self._quota_watch(channel),
            )
            for channel in channels
        }
        self.processor = Processor(
            sessions=sessions,
            settings=settings,
            router=build_router(),
            capabilities={**KNOWN, **{c.name: c.capabilities for c in channels}},
            clock=clock,
            services=services or Services.from_settings(settings),
            on_queued=self.wake_senders,
        )
        self.lanes: list[asyncio.Queue[int]] = [asyncio.Queue() for _ in range(max(1, lanes))]
        self.queued: dict[int, tuple[str, str]] = {}  # inbound id → its channel and chat
        self.sender_tasks: list[asyncio.Task[None]] = []  # while serving (for /healthz)
        self.sweep_after = sweep_after

    def _quota_watch(self, channel: Channel) -> QuotaWatch | None:
        if channel.monthly_quota <= 0:
            return None
        return QuotaWatch(
            sessions=self.sessions,
            channel=channel.name,
            quota=channel.monthly_quota,
            zone=ZoneInfo(self.settings.programme.timezone),
            clock=self.clock,
        )

    def sink(self, channel: Channel) -> InboundSink:
        """Where ``channel``'s adapter hands what it receives: stored, then submitted."""
        return InboundSink(
            sessions=self.sessions,
            channel=channel,
            submit=partial(self.submit, channel.name),
            outage=self.outage,
        )

    def wake_senders(self, channels: set[str]) -> None:
        for name in channels:
            sender = self.senders.get(name)
            if sender is not None:
                sender.wake()

    def submit(self, channel: str, inbound_id: int, address: str) -> None:
        """Hand a stored update to the lane of its chat (one chat's messages stay in order)."""
        if inbound_id in self.queued:
            return  # already waiting in its lane
        self.queued[inbound_id] = (channel, address)
        self.lanes[hash(address) % len(self.lanes)].put_nowait(inbound_id)

    async def replay_pending(self, *, older_than: timedelta | None = None) -> int:
        """Queue updates stored but not handled: at start, those a crash or a restart left;
        later, those the workers gave up on after repeated errors.  Queueing one
        twice is harmless: the processor skips what is no longer pending."""
        query = select(Inbound.channel, Inbound.id, Inbound.address).where(
            Inbound.status == "pending"
        )
        if older_than is not None:
            query = query.where(Inbound.received_at < self.clock() - older_than)
        async with self.sessions() as session:
            rows = (await session.execute(query.order_by(Inbound.id))).all()
        for channel, inbound_id, address in rows:
            self.submit(channel, inbound_id, address)
        return len(rows)

    async def process_with_retry(self, *inbound_ids: int) -> None:
        """Handle updates.  A database that is unavailable is waited out however long it
        takes (see bot.core.outage); any other error is tried again a few times, each
        update of a burst alone (so one bad update does not hold the others back); then
        an update the database refuses for what it is (a value too long, a broken
        constraint) is marked failed, and one that failed otherwise is left pending for
        the sweep."""
        tries = errors = 0
        while True:
            try:
                await self.processor.process(*inbound_ids)
            except Exception as exc:
                tries += 1
                if self.outage.failed(exc):
                    await self._tell_waiting()
                elif len(inbound_ids) > 1:
                    for inbound_id in inbound_ids:
                        await self.process_with_retry(inbound_id)
                    return
                else:
                    errors += 1
                    if errors > len(RETRY_SECONDS):
                        await self._give_up(inbound_ids[0], exc, tries)
                        return
                    log.warning("inbound %s: %s, retrying", inbound_ids[0], error_line(exc))
                await asyncio.sleep(retry_delay(tries))
            else:
                if tries:
                    self.outage.ok()
                return

    async def _give_up(self, inbound_id: int, exc: Exception, tries: int) -> None:
        if not deterministic(exc):
            log.error(
                "inbound %s left pending after %s tries: %s", inbound_id, tries, error_line(exc)
            )
            return
        log.error("inbound %s failed after %s tries: %s", inbound_id, tries, error_line(exc))
        try:
            await self.processor.give_up(inbound_id, exc)
        except Exception as again:  # the sweep brings it back
            log.error("inbound %s not marked failed: %s", inbound_id, error_line(again))

    async def _tell_waiting(self) -> None:
        """Once an outage lasts, the chats whose updates wait in the lanes are told."""
        if not self.outage.long:
            return
        waiting: dict[str, list[str]] = {}
        for channel, address in list(self.queued.values()):
            waiting.setdefault(channel, []).append(address)
        for name, addresses in waiting.items():
            if name in self.senders:
                await self.outage.tell(self.senders[name].channel, addresses)

    async def _work(self, lane: asyncio.Queue[int]) -> None:
        while True:
            # What waits in the lane is handled together: one transaction, one commit.
            batch = [await lane.get()]
            while len(batch) < WORK_BATCH and not lane.empty():
                batch.append(lane.get_nowait())
            try:
                await self.process_with_retry(*batch)
            finally:
                for inbound_id in batch:
                    self.queued.pop(inbound_id, None)
                    lane.task_done()

    async def _every(
        self, seconds: float, stop: asyncio.Event, job: Callable[[], Awaitable[object]]
    ) -> None:
        failing = False
        while not stop.is_set():
            try:
                await job()
            except Exception as exc:
                failing = True
                if not self.outage.failed(exc):
                    log.exception("periodic %s failed; trying again later", job)
            else:
                if failing:
                    self.outage.ok()
                failing = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)

    async def _pump_broadcasts(self) -> None:
        """Queue scheduled notices when due and report progress to their authors."""
        async with transaction(self.sessions) as session:
            await broadcasts.pump(session, self.clock())

    async def _sweep_pending(self) -> None:
        await self.replay_pending(older_than=self.sweep_after)

    async def serve(self, stop: asyncio.Event) -> None:
        """Run the workers and senders until ``stop`` is set, then finish what is in hand."""
        workers = [asyncio.create_task(self._work(lane)) for lane in self.lanes]
        loops = [asyncio.create_task(sender.run(stop)) for sender in self.senders.values()]
        self.sender_tasks.extend(loops)
        loops.append(
            asyncio.create_task(self._every(BROADCAST_PUMP_SECONDS, stop, self._pump_broadcasts))
        )
        sweep_every = self.sweep_after.total_seconds() / 2
        loops.append(asyncio.create_task(self._every(sweep_every, stop, self._sweep_pending)))
        await stop.wait()
        for worker in workers:
            worker.cancel()  # an update cut off here is still pending: replayed at start
        for task in (*workers, *loops):
            with contextlib.suppress(asyncio.CancelledError):
                await task
