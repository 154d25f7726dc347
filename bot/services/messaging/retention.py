"""Old messages' texts are not kept for ever (``[retention]``).

What a household wrote (``inbound.payload``) and what the bot sent back (``outbox.body``,
which repeats the sums, and its attachment) are redacted once older than
``redact_after_days``; the rows stay, so an entry keeps its link to the message it came
from and a notice its sent, failed and blocked counts.  Rows nothing refers to are
deleted after ``delete_after_days``: an update no row points at (a diary entry, or any
table added later with a key to ``inbound``), a reply that was not part of a notice.
Only settled rows are touched: nothing waiting to be handled or sent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Executable, Table, delete, exists, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.config import RetentionConfig
from models import REDACTED, Base, Inbound, Outbox

SETTLED_INBOUND = ("done", "failed")
SETTLED_OUTBOX = ("sent", "failed", "blocked")


@dataclass(frozen=True)
class Cleaned:
    inbound_redacted: int = 0
    outbox_redacted: int = 0
    inbound_deleted: int = 0
    outbox_deleted: int = 0

    def describe(self) -> str:
        return (
            f"messages redacted: {self.inbound_redacted} in, {self.outbox_redacted} out; "
            f"deleted: {self.inbound_deleted} in, {self.outbox_deleted} out"
        )


def _not_redacted(column: InstrumentedAttribute[dict[str, Any]]) -> ColumnElement[bool]:
    marked: ColumnElement[bool] = column["redacted"].as_boolean()
    return marked.is_(None)


def _unreferenced_inbound() -> list[ColumnElement[bool]]:
    """No row of any table points at the update (found from the models' foreign keys)."""
    inbound = cast(Table, Inbound.__table__)
    conditions: list[ColumnElement[bool]] = []
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table is inbound and key.parent.table is not inbound:
                conditions.append(~exists().where(key.parent == inbound.c.id))
    return conditions


async def _rows(session: AsyncSession, statement: Executable) -> int:
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return int(cast(CursorResult[Any], result).rowcount)


async def clean(session: AsyncSession, config: RetentionConfig, now: datetime) -> Cleaned:
    redact_before = now - timedelta(days=config.redact_after_days)
    cleaned = Cleaned(
        inbound_redacted=await _rows(
            session,
            update(Inbound)
            .where(
                Inbound.status.in_(SETTLED_INBOUND),
                Inbound.received_at < redact_before,
                _not_redacted(Inbound.payload),
            )
            .values(payload=REDACTED),
        ),
        outbox_redacted=await _rows(
            session,
            update(Outbox)
            .where(
                Outbox.status.in_(SETTLED_OUTBOX),
                Outbox.created_at < redact_before,
                _not_redacted(Outbox.body),
            )
            .values(body=REDACTED, attachment=None),
        ),
    )
    if not config.delete_after_days:
        return cleaned
    delete_before = now - timedelta(days=config.delete_after_days)
    return replace(
        cleaned,
        inbound_deleted=await _rows(
            session,
            delete(Inbound).where(
                Inbound.status.in_(SETTLED_INBOUND),
                Inbound.received_at < delete_before,
                *_unreferenced_inbound(),
            ),
        ),
        outbox_deleted=await _rows(
            session,
            delete(Outbox).where(
                Outbox.status.in_(SETTLED_OUTBOX),
                Outbox.created_at < delete_before,
                Outbox.broadcast_id.is_(None),
            ),
        ),
    )
