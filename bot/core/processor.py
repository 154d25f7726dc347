"""Handling one stored update: route it, run its handler in one transaction, queue the
replies in the outbox, and mark the update done — all in one commit."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, and_, bindparam, func, select, text, tuple_, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core import answers
from bot.core.context import Clock, Context
from bot.core.contract import Capabilities, Incoming, Reply
from bot.core.outbox import OutboxBatch
from bot.core.router import Router
from bot.db import transaction
from bot.i18n import N_
from bot.language import parse_amount
from bot.ops.metrics import HANDLING_SECONDS, UPDATES_HANDLED
from models import Contact, Inbound

log = logging.getLogger(__name__)

LAST_SEEN_EVERY = timedelta(minutes=5)


class FloodWatch:
    """Messages per chat in the last ``window`` seconds (in this process)."""

    def __init__(self, limit: int = 30, window: float = 10.0) -> None:
        self.limit = limit
        self.window = window
        self.seen: dict[str, deque[float]] = {}

    def crowded(self, chat: str) -> bool:
        now = time.monotonic()
        recent = self.seen.setdefault(chat, deque())
        recent.append(now)
        while recent and recent[0] < now - self.window:
            recent.popleft()
        if len(self.seen) > 10_000:  # forget quiet chats
            self.seen = {k: v for k, v in self.seen.items() if v and v[-1] >= now - self.window}
        return len(recent) > self.limit


def worth_handling_in_a_flood(incoming: Incoming) -> bool:
    """While a chat floods, only a message with a sum is handled (the diary keeps every
    line); its replies are muted anyway, so a command, a button or a question (a chart, a
    report, a file) would be work for nobody, and slow for every other chat."""
    return (
        incoming.kind == "text"
        and not incoming.text.startswith("/")
        and parse_amount(incoming.text) is not None
    )


class HandlerFailed(Exception):
    """A handler raised: its transaction is rolled back, the update is marked failed."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


APOLOGY = N_("Xin lỗi, bot đang trục trặc. Tin của anh/chị đã được lưu, cán bộ sẽ xem lại.")
NOT_UNDERSTOOD = N_("Xin lỗi, mình chưa hiểu. Gõ /huongdan để xem cách dùng.")
FLOOD_NOTICE = N_(
    "Anh/chị nhắn nhanh quá, mình vẫn ghi đủ từng tin. Đợi một chút rồi gõ /homnay để xem lại nhé."
)


class Processor:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        router: Router,
        capabilities: Mapping[str, Capabilities],
        clock: Clock,
        services: Any = None,
        on_queued: Callable[[set[str]], None] = lambda _channels: None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.router = router
        self.capabilities = capabilities
        self.clock = clock
        self.services = services
        self.on_queued = on_queued
        self.flood = FloodWatch()

    async def process(self, *inbound_ids: int) -> None:
        """Handle pending updates in order, in one transaction (one commit for a burst);
        a repeat or an already handled one is skipped."""
        try:
            channels = await self._handle_all(inbound_ids)
        except HandlerFailed as failure:
            if len(inbound_ids) > 1:
                # All rolled back: each again on its own, so only the failing one fails.
                for inbound_id in inbound_ids:
                    await self.process(inbound_id)
                return
            # The handler's writes were rolled back with its transaction; the message
            # itself stays stored, marked failed, and the person hears of it.
            channels = await self._record_failure(inbound_ids[0], failure)
        if channels:
            self.on_queued(channels)

    async def give_up(self, inbound_id: int, error: Exception) -> None:
        """Mark failed an update the database refuses every time (a value too long for its
        column, a broken constraint); the person hears the apology, as for a handler's
        error, and the chat's next messages are handled again."""
        channels = await self._record_failure(inbound_id, HandlerFailed(error))
        if channels:
            self.on_queued(channels)

    def _context(self, session: AsyncSession, row: Row[Any], contact: Contact | None) -> Context:
        return Context(
            incoming=self._resolve_answer(
                Incoming.from_json(row.channel, row.address, row.payload), contact
            ),
            session=session,
            settings=self.settings,
            now=self.clock(),
            inbound_id=row.id,
            contact=contact,
            services=self.services,
        )

    async def _handle_all(self, inbound_ids: Sequence[int]) -> set[str]:
        latest: dict[tuple[str, str], Contact | None] = {}
        started = time.monotonic()
        async with transaction(self.sessions) as session:
            burst = _Burst(OutboxBatch(self.capabilities))
            claimed = await _claim_in_order(session, inbound_ids)
            for row, contact in claimed:
                chat = (row.channel, row.address)
                # An update before it in the burst may have joined the chat or left it.
                before = latest.get(chat, contact)
                crowded = self.flood.crowded(f"{row.channel}:{row.address}")
                ctx = await self._handle(session, row, before, crowded=crowded)
                latest[chat] = _live(ctx)
                if before is not None and latest[chat] is None:
                    burst.forgotten.add(before.id)
                if crowded:
                    self._calm_a_flood(ctx)
                self._queue(ctx, burst.outbox)
                self._finish(ctx, row, burst)
            await burst.write(session)
        took = time.monotonic() - started
        for row, _contact in claimed:
            UPDATES_HANDLED.inc(channel=row.channel, result="done")
            HANDLING_SECONDS.observe(took, channel=row.channel)
        return burst.outbox.channels

    async def _handle(
        self, session: AsyncSession, row: Row[Any], contact: Contact | None, *, crowded: bool
    ) -> Context:
        ctx = self._context(session, row, contact)
        if crowded and not worth_handling_in_a_flood(ctx.incoming):
            return ctx
        try:
            if not await self.router.dispatch(ctx):
                ctx.reply(ctx._(NOT_UNDERSTOOD))
        except DBAPIError:
            raise  # the database, not the handler: the whole update is tried again
        except Exception as exc:
            log.exception("handler failed for inbound %s", row.id)
            raise HandlerFailed(exc) from exc
        return ctx

    def _calm_a_flood(self, ctx: Context) -> None:
        """A chat sending faster than a person types still has every diary line handled
        (see :func:`worth_handling_in_a_flood`), but gets one short notice a minute
        instead of each reply."""
        ctx.replies = []
        minute = int(ctx.now.timestamp() // 60)
        ctx.notices = [n for n in ctx.notices if n.contact is not ctx.contact]
        if ctx.contact is not None:
            ctx.notify(
                ctx.contact,
                Reply(ctx._(FLOOD_NOTICE)),
                key=f"flood:{ctx.contact.id}:{minute}",
            )

    async def _record_failure(self, inbound_id: int, failure: HandlerFailed) -> set[str]:
        async with transaction(self.sessions) as session:
            claimed = await _claim_in_order(session, [inbound_id])
            if not claimed:
                return set()
            ctx = self._context(session, *claimed[0])
            ctx.reply(ctx._(APOLOGY))
            error = f"{type(failure.error).__name__}: {failure.error}"[:2000]
            failed = {"inbound_id": inbound_id, "handled": ctx.now, "error": error}
            await session.execute(_FAILED, failed)
            burst = _Burst(OutboxBatch(self.capabilities))
            self._queue(ctx, burst.outbox)
            await burst.write(session)
        UPDATES_HANDLED.inc(channel=ctx.incoming.channel, result="failed")
        return burst.outbox.channels

    def _resolve_answer(self, incoming: Incoming, contact: Contact | None) -> Incoming:
        """A typed answer to the bot's last question becomes the button it means: "2"
        where options are numbered, "huy" for "Hủy", "dạ có" for "Đồng ý"."""
        caps = self.capabilities.get(incoming.channel)
        record = answers.asked(contact)
        if caps is None or record is None or incoming.payload is not None:
            return incoming
        if incoming.kind != "text" or incoming.text.lstrip().startswith("/"):
            return incoming
        payload = answers.typed_answer(incoming.text, record, numbered=not caps.buttons)
        if payload is None:
            return incoming
        return Incoming(
            channel=incoming.channel,
            address=incoming.address,
            kind="button",
            text=incoming.text,
            payload=payload,
            display_name=incoming.display_name,
        )

    def _queue(self, ctx: Context, outbox: OutboxBatch) -> None:
        """Add the handler's replies and notices to ``outbox``."""
        for index, reply in enumerate(ctx.replies):
            outbox.add(
                channel=ctx.incoming.channel,
                address=ctx.incoming.address,
                contact=_live(ctx),
                reply=reply,
                key=f"reply:{ctx.inbound_id}:{index}",
                edit_ref=ctx.incoming.message_ref,
                asked_now=ctx.asked_now,
            )
        for notice in ctx.notices:
            outbox.to_contact(
                notice.contact, notice.reply, key=notice.key, priority=notice.priority
            )

    def _finish(self, ctx: Context, row: Row[Any], burst: _Burst) -> None:
        contact = _live(ctx)
        if contact is not None and (
            contact.last_seen_at is None or ctx.now - contact.last_seen_at > LAST_SEEN_EVERY
        ):
            contact.last_seen_at = ctx.now  # not at every message: one write less
        burst.done.append({"inbound_id": row.id, "handled": ctx.now})
        if contact is None or contact.consent_at is None:
            # Without consent nothing a person wrote is kept.
            redacted = {"kind": row.payload.get("kind", "text"), "redacted": True}
            burst.redacted.append({"inbound_id": row.id, "redacted": redacted})


@dataclass
class _Burst:
    """What the updates handled in one transaction leave to write at its end, each kind
    in one statement: their outbox rows and their done (and redacted) marks."""

    outbox: OutboxBatch
    done: list[dict[str, Any]] = field(default_factory=list)
    redacted: list[dict[str, Any]] = field(default_factory=list)
    # Contacts an update of the burst deleted (a refusal, a data deletion): the replies
    # queued for them earlier in the burst still go out, unhooked like their older rows.
    forgotten: set[int] = field(default_factory=set)

    async def write(self, session: AsyncSession) -> None:
        await self.outbox.write(session, unhooked=self.forgotten)
        if self.redacted:
            await session.execute(_REDACT, self.redacted)
        if self.done:
            await session.execute(_DONE, self.done)


async def _claim_in_order(
    session: AsyncSession, inbound_ids: Sequence[int]
) -> list[tuple[Row[Any], Contact | None]]:
    """The updates (their columns: no ORM object is needed) with their chat's contact,
    oldest first, that are still pending, that no other process is handling right now,
    and that no older pending update of their chat waits behind: a chat's messages are
    handled in order, even by several processes (a skipped one is queued again by the
    sweep)."""
    found = (await session.execute(_CLAIM, {"inbound_ids": list(inbound_ids)})).all()
    claimed = [row for row in found if row.status == "pending"]
    if not claimed:
        return []
    chats = sorted({(row.channel, row.address) for row in claimed})
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Processes take a chat one at a time, until the end of the transaction; always
        # in the same order, so two processes never wait for each other in a circle.
        locks = [f"{channel}:{address}" for channel, address in chats]
        await session.execute(_CHAT_LOCKS, {"chats": locks})
    # Looked for after the locks: a process that held one has committed by now.
    older = {"chats": chats, "claimed": [row.id for row in claimed]}
    oldest_waiting = {
        (channel, address): first
        for channel, address, first in await session.execute(_OLDEST_PENDING_ELSEWHERE, older)
    }
    return [
        (row, row.Contact)
        for row in claimed
        if oldest_waiting.get((row.channel, row.address), row.id) >= row.id
    ]


# The hot path's statements, built once (SQLAlchemy then finds them compiled at once),
# on the table where no ORM object is wanted (the ORM's own work is skipped).
_CLAIM = (
    select(Contact, Inbound.id, Inbound.channel, Inbound.address, Inbound.payload, Inbound.status)
    .select_from(Inbound)
    .outerjoin(
        Contact, and_(Contact.channel == Inbound.channel, Contact.address == Inbound.address)
    )
    .where(Inbound.id.in_(bindparam("inbound_ids", expanding=True)))
    .order_by(Inbound.id)
    .with_for_update(of=Inbound, skip_locked=True)
)
_INBOUND = cast(Table, Inbound.__table__)
# Per chat, its oldest update still pending and not claimed with the burst.
_OLDEST_PENDING_ELSEWHERE = (
    select(_INBOUND.c.channel, _INBOUND.c.address, func.min(_INBOUND.c.id))
    .where(
        _INBOUND.c.status == "pending",
        tuple_(_INBOUND.c.channel, _INBOUND.c.address).in_(bindparam("chats", expanding=True)),
        _INBOUND.c.id.not_in(bindparam("claimed", expanding=True)),
    )
    .group_by(_INBOUND.c.channel, _INBOUND.c.address)
)
_DONE = (
    update(_INBOUND)
    .where(_INBOUND.c.id == bindparam("inbound_id"))
    .values(status="done", attempts=_INBOUND.c.attempts + 1, handled_at=bindparam("handled"))
)
_FAILED = (
    update(_INBOUND)
    .where(_INBOUND.c.id == bindparam("inbound_id"))
    .values(
        status="failed",
        attempts=_INBOUND.c.attempts + 1,
        handled_at=bindparam("handled"),
        error=bindparam("error"),
    )
)
_REDACT = (
    update(_INBOUND)
    .where(_INBOUND.c.id == bindparam("inbound_id"))
    .values(payload=bindparam("redacted", type_=_INBOUND.c.payload.type))
)
# Taken in the order given (an unnest's rows come in order; ORDER BY says so).
_CHAT_LOCKS = text(
    "SELECT pg_advisory_xact_lock(hashtext(chat)) "
    "FROM unnest(CAST(:chats AS text[])) WITH ORDINALITY AS lock(chat, n) ORDER BY n"
)


def _live(ctx: Context) -> Contact | None:
    """The chat's contact, unless the handler deleted it (a refusal, a data deletion)."""
    contact = ctx.contact
    return contact if contact is not None and contact in ctx.session else None
