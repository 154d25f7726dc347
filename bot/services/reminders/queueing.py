"""Queueing a reminder once per idempotency key, and what a tick queued.

Every message goes through :func:`bot.services.messaging.notify.notify` with a key, so a
tick run twice queues nothing twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Reply
from bot.i18n import Translator
from bot.services.alerts.alerts import ScanResult
from bot.services.messaging.notify import notify
from models import Contact, Outbox

IN_CHUNK = 500  # values in one SQL IN list

T = TypeVar("T")


@dataclass
class TickResult:
    """Outbox rows queued, by kind, and the alert scan when the daily tick ran it."""

    queued: Counter[str] = field(default_factory=Counter)
    scan: ScanResult | None = None

    @property
    def total(self) -> int:
        return sum(self.queued.values())

    def merge(self, other: TickResult) -> TickResult:
        return TickResult(self.queued + other.queued, self.scan or other.scan)

    def describe(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.queued.items()))
        text = f"{self.total} queued" + (f" ({kinds})" if kinds else "")
        if self.scan is not None:
            text += (
                f"; alerts: {len(self.scan.raised)} raised, {self.scan.resolved} resolved, "
                f"{self.scan.escalated} escalated"
            )
        return text


async def unsent(session: AsyncSession, key: str, contacts: Sequence[Contact]) -> list[Contact]:
    """The contacts with nothing queued under ``key`` yet.

    Only a shortcut: a repeat would be ignored by the outbox anyway, but checking first
    keeps a minute tick from rebuilding thousands of messages already queued.  The first
    part of a message has the key ``<key>:<contact id>#0`` (see notify and enqueue).
    """
    queued: set[str] = set()
    for chunk in chunks([f"{key}:{contact.id}#0" for contact in contacts]):
        queued.update(await session.scalars(select(Outbox.key).where(Outbox.key.in_(chunk))))
    return [contact for contact in contacts if f"{key}:{contact.id}#0" not in queued]


def chunks(values: list[T]) -> Iterable[list[T]]:
    """``values`` in slices short enough for one SQL IN list."""
    return (values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK))


async def send(
    session: AsyncSession,
    result: TickResult,
    kind: str,
    key: str,
    contacts: list[Contact],
    make: Callable[[Translator], Reply],
) -> None:
    """Queue ``make``'s message under ``key`` to ``contacts`` (already found unsent)."""
    result.queued[kind] += await notify(session, contacts, make, key=key)


async def queue(
    session: AsyncSession,
    result: TickResult,
    kind: str,
    key: str,
    contacts: Sequence[Contact],
    make: Callable[[Translator], Reply],
) -> None:
    """Queue ``make``'s message under ``key`` to those of ``contacts`` not sent it yet."""
    fresh = await unsent(session, key, contacts)
    if fresh:
        await send(session, result, kind, key, fresh, make)
