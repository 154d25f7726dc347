"""One leader among the processes that share a PostgreSQL database.

Only the leader receives updates (a platform allows one poller; a webhook listens on one
port) and runs the scheduler; every process handles stored updates and sends from the
outbox.  Leadership is a PostgreSQL session advisory lock held on a connection of its own:
when the leader dies its connection closes, the lock is freed, and another process takes
over within a few seconds.  SQLite serves one process, which always leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.outage import trouble

log = logging.getLogger(__name__)

LOCK_KEY = 0x51_4E_48_4B  # "SNHK": the one lock this application takes
RETRY_SECONDS = 2.0


class Leadership:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True
        connection = await self.engine.connect()
        try:
            taken = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
            )
            await connection.commit()  # the lock is the session's, not the transaction's
        except Exception:
            await connection.close()
            raise
        if taken:
            self._connection = connection
            return True
        await connection.close()
        return False

    async def wait(self, stop: asyncio.Event) -> bool:
        """Become the leader, or return False when ``stop`` is set first."""
        failing = False  # said once, not every few seconds
        while not stop.is_set():
            try:
                if await self.try_acquire():
                    return True
                failing = False
            except Exception as exc:
                # The database being away is the outage's to log (bot.core.outage).
                if not failing and trouble(exc) is None:
                    log.warning("cannot ask for leadership (%s); trying again", exc)
                failing = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RETRY_SECONDS)
        return False

    async def lost(self, stop: asyncio.Event) -> None:
        """Return when another process has the lead, or when ``stop`` is set.

        The lock is its connection's: when that fails (the database restarted, the network
        was cut) the lock is gone, and another process may take it.  This one asks for it
        again until the database answers, leading meanwhile: what it receives it cannot
        store, so it holds it unacknowledged (and tells the chats if that lasts).
        """
        if self._connection is None:  # SQLite: the one process always leads
            await stop.wait()
            return
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RETRY_SECONDS)
            if self._connection is not None:
                try:
                    await self._connection.exec_driver_sql("SELECT 1")
                    await self._connection.rollback()
                    continue
                except Exception:
                    with contextlib.suppress(Exception):
                        await self._connection.close()
                    self._connection = None
            with contextlib.suppress(Exception):  # the database still away: ask again later
                if not await self.try_acquire():
                    return

    async def release(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
