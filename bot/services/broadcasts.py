"""Programme notices to many households: targeting, queueing through the outbox,
progress and the final count.

Every recipient gets one outbox row keyed ``broadcast:<id>:<contact id>``, all written in
one transaction, so a crash or a restart continues where it stopped (the sender takes
the rows still pending) and nobody gets a notice twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Literal

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Attachment, Reply
from bot.core.outbox import OutboxBatch
from bot.i18n import Translator
from bot.services.messaging.notify import notify
from bot.services.people import people
from models import PRIORITY_BULK, Area, Broadcast, Contact, Household, Officer, Outbox

STATUSES = ("poor", "near_poor", "escaped")
PROGRESS_STEPS = (25, 50, 75)


class TargetError(ValueError):
    """A target the operator or officer wrote that cannot be used."""


@dataclass
class Target:
    """``all``, ``area:CODE``, ``status:poor``, ``lang:vi`` … Several values of one kind
    widen the target (area A or area B); different kinds narrow it (area A and poor)."""

    areas: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, specs: list[str]) -> Target:
        target = cls()
        for spec in (part.strip() for raw in specs for part in raw.split(",")):
            kind, _, value = spec.partition(":")
            if not spec or (kind == "all" and not value):  # "", "a,,b": nothing to narrow
                continue
            if kind == "area" and value:
                target.areas.append(value)
            elif kind == "status" and value in STATUSES:
                target.statuses.append(value)
            elif kind == "lang" and value in ("vi", "en"):
                target.languages.append(value)
            else:
                raise TargetError(
                    f"target {spec!r}: use all, area:CODE, "
                    "status:poor|near_poor|escaped or lang:vi|en"
                )
        return target

    def __str__(self) -> str:
        parts = [f"area:{a}" for a in self.areas] + [f"status:{s}" for s in self.statuses]
        parts += [f"lang:{lang}" for lang in self.languages]
        return ",".join(parts) or "all"


async def _household_condition(session: AsyncSession, target: Target) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if target.areas:
        area_ids: list[int] = []
        for code in target.areas:
            area_id = await session.scalar(select(Area.id).where(Area.code == code))
            if area_id is None:
                raise TargetError(f"no area with code {code!r}")
            area_ids += await people.descendant_area_ids(session, area_id)
        conditions.append(Household.area_id.in_(area_ids))
    if target.statuses:
        conditions.append(Household.status.in_(target.statuses))
    return and_(*conditions) if conditions else Household.id.is_not(None)


def _recipients_query(condition: ColumnElement[bool], target: Target) -> Select[tuple[Contact]]:
    query = (
        select(Contact)
        .join(Household, Household.id == Contact.household_id)
        .where(condition, Contact.consent_at.is_not(None), Contact.blocked.is_(False))
    )
    if target.languages:
        query = query.where(Contact.locale.in_(target.languages))
    return query.order_by(Contact.id)


@dataclass(frozen=True, slots=True)
class Audience:
    recipients: list[Contact]
    not_joined: int  # households in the target with no consenting chat
    blocked: int  # chats in the target that blocked the bot


async def audience(session: AsyncSession, target: Target) -> Audience:
    condition = await _household_condition(session, target)
    recipients = list(await session.scalars(_recipients_query(condition, target)))
    consenting = (
        select(Contact.household_id)
        .join(Household, Household.id == Contact.household_id)
        .where(condition, Contact.consent_at.is_not(None))
    )
    not_joined = await session.scalar(
        select(func.count(Household.id)).where(condition, Household.id.not_in(consenting))
    )
    blocked = await session.scalar(
        select(func.count(Contact.id))
        .join(Household, Household.id == Contact.household_id)
        .where(condition, Contact.consent_at.is_not(None), Contact.blocked.is_(True))
    )
    return Audience(recipients, int(not_joined or 0), int(blocked or 0))


async def create(
    session: AsyncSession,
    *,
    text: str,
    target: Target,
    now: datetime,
    at: datetime | None = None,
    author: Officer | None = None,
    attachment: Attachment | None = None,
) -> Broadcast:
    """Record a notice; queue it at once unless it is scheduled for later."""
    if not text.strip():
        raise TargetError("the notice is empty")
    broadcast = Broadcast(
        text_vi=text.strip(),
        target=str(target),
        author_officer_id=author.id if author else None,
        scheduled_at=at or now,
        status="scheduled",
        counts={},
        attachment=attachment.data if attachment else None,
        attachment_name=attachment.filename if attachment else None,
        attachment_kind=attachment.kind if attachment else None,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    if broadcast.scheduled_at is not None and broadcast.scheduled_at <= now:
        await queue(session, broadcast)
    return broadcast


def _reply(broadcast: Broadcast) -> Reply:
    attachment = None
    if broadcast.attachment is not None:
        kind: Literal["photo", "document"] = (
            "photo" if broadcast.attachment_kind == "photo" else "document"
        )
        # The bytes stay on the broadcast row; the sender reads them once for all rows.
        attachment = Attachment(broadcast.attachment_name or "file", b"", kind)
    return Reply(broadcast.text_vi, attachment=attachment)


async def queue(session: AsyncSession, broadcast: Broadcast) -> int:
    """One outbox row per recipient (idempotent); returns the number queued."""
    found = await audience(session, Target.parse([broadcast.target]))
    reply = _reply(broadcast)
    outbox = OutboxBatch()
    for contact in found.recipients:
        outbox.to_contact(
            contact,
            reply,
            key=f"broadcast:{broadcast.id}:{contact.id}",
            priority=PRIORITY_BULK,
            broadcast_id=broadcast.id,
            # A notice from outside the conversation: a question the person was asked
            # still waits for its answer.
            remember_question=False,
        )
    queued = await outbox.write(session)
    broadcast.status = "sending"
    broadcast.counts = {
        "recipients": len(found.recipients),
        "not_joined": found.not_joined,
        "blocked_before": found.blocked,
    }
    return queued


@dataclass(frozen=True, slots=True)
class Progress:
    broadcast: Broadcast
    by_status: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def settled(self) -> int:
        return self.total - self.by_status["pending"]

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else self.settled * 100 // self.total

    @property
    def left_out(self) -> int:
        counts = self.broadcast.counts
        return int(counts.get("not_joined", 0)) + int(counts.get("blocked_before", 0))


async def progress(session: AsyncSession, broadcast: Broadcast) -> Progress:
    rows = await session.execute(
        select(Outbox.status, func.count(Outbox.id))
        .where(Outbox.broadcast_id == broadcast.id)
        .group_by(Outbox.status)
    )
    return Progress(broadcast, Counter({status: int(count) for status, count in rows}))


def describe(t: Translator, report: Progress) -> str:
    return t._(
        "Thông báo #{id}: đã gửi {sent}/{total}, lỗi {failed}, bị chặn {blocked}, "
        "bỏ qua {left_out} (chưa tham gia hoặc đã chặn bot)."
    ).format(
        id=report.broadcast.id,
        sent=report.by_status["sent"],
        total=report.total,
        failed=report.by_status["failed"],
        blocked=report.by_status["blocked"],
        left_out=report.left_out,
    )


async def pump(session: AsyncSession, now: datetime) -> None:
    """Queue scheduled notices that are due; tell authors of progress and of the end."""
    for broadcast in await session.scalars(
        select(Broadcast).where(Broadcast.status == "scheduled", Broadcast.scheduled_at <= now)
    ):
        await queue(session, broadcast)
    for broadcast in await session.scalars(select(Broadcast).where(Broadcast.status == "sending")):
        report = await progress(session, broadcast)
        author = await _author_contacts(session, broadcast)
        if report.by_status["pending"] == 0:
            broadcast.status, broadcast.finished_at = "done", now
            step = "done"
        else:
            reached = [p for p in PROGRESS_STEPS if report.percent >= p]
            if not reached:
                continue
            step = str(reached[-1])
        await notify(
            session,
            author,
            partial(_progress_reply, report=report),
            key=f"broadcast:{broadcast.id}:progress:{step}",
        )


def _progress_reply(t: Translator, *, report: Progress) -> Reply:
    return Reply(describe(t, report))


async def _author_contacts(session: AsyncSession, broadcast: Broadcast) -> list[Contact]:
    if broadcast.author_officer_id is None:
        return []
    return await people.officer_contacts(session, [broadcast.author_officer_id])


async def attachment_of(session: AsyncSession, broadcast_id: int) -> bytes | None:
    return await session.scalar(select(Broadcast.attachment).where(Broadcast.id == broadcast_id))
