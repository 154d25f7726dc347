"""The queries run for every message, or at every pass of a loop, must search an index
for the few rows they want, not read a table that grows with every message ever sent.
SQLite's plans are checked (its planner is the one that read whole tables here)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Executable, event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core import processor, sender

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


async def plan(
    sessions: async_sessionmaker[AsyncSession], statement: Executable, values: dict[str, Any]
) -> str:
    """SQLite's plan for ``statement`` as SQLAlchemy sends it with ``values``."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        sent.append((sql, params))

    async with sessions() as session:
        if session.bind.dialect.name != "sqlite":
            pytest.skip("SQLite's query plans")
        connection = await session.connection()
        event.listen(connection.sync_connection, "before_cursor_execute", keep)
        await session.execute(statement, values)
        event.remove(connection.sync_connection, "before_cursor_execute", keep)
        sql, params = sent[-1]
        rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in rows)


async def test_the_sender_searches_only_rows_waiting_to_be_sent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    found = await plan(sessions, sender._DUE_ROWS, {"of_channel": "telegram", "due_at": NOW})
    assert "ix_outbox_due (channel=? AND status=?)" in found, found


async def test_older_pending_updates_are_found_among_pending_ones(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    found = await plan(
        sessions,
        processor._OLDEST_PENDING_ELSEWHERE,
        {"chats": [("telegram", "42"), ("telegram", "43")], "claimed": [7, 8]},
    )
    assert "ix_inbound_pending (status=?)" in found, found
