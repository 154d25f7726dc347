"""aiosqlite's connection, with each SQLite call run at once on the event loop's thread.

aiosqlite hands every call to a worker thread and waits for the answer; on this kind of
machine that hop costs about half a millisecond, many times the cost of the query itself
(a diary message makes about a dozen).  SQLite calls are short and this process queues
for its single connection anyway (see bot.db), so running them inline is faster and
changes nothing else: the same sqlite3 module, the same SQLAlchemy dialect.  The one
cost: while another process holds the write lock, the event loop waits with it (up to
the busy timeout) — a deployment that runs several processes belongs on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import aiosqlite


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its worker thread, which SQLAlchemy's dialect
    also uses directly (to set the isolation level): runs the call and settles its
    future at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is not None:
                future.set_exception(exc)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        return self._connect().__await__()  # no worker thread to start

    def stop(self) -> asyncio.Future[Any] | None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        return None

    async def close(self) -> None:
        self.stop()


def creator(database: str, timeout: float) -> Callable[[], Any]:
    """An ``async_creator`` for SQLAlchemy's aiosqlite dialect."""

    async def connect() -> InlineConnection:
        return await InlineConnection(
            partial(sqlite3.connect, database, timeout=timeout, check_same_thread=False)
        )

    return connect
