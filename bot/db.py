"""Database engine, sessions and schema version checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot import sqlite_inline

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseError(Exception):
    """The database cannot be used; the message is the one line to show."""


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine; SQLite gets WAL mode, a busy timeout and enforced foreign keys."""
    # Statements' parameters hold what households wrote: never in an error's text (which
    # is logged), only the statement.
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if is_sqlite(url):
        _prepare_sqlite_file(url)
        database = make_url(url).database or ":memory:"
        kwargs["async_creator"] = sqlite_inline.creator(database, SQLITE_BUSY_TIMEOUT_MS / 1000)
        # SQLite has one writer.  Tasks of one process queue for a single connection
        # instead of meeting "busy" inside SQLite, whose retry sleeps grow to 100 ms.
        kwargs |= {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60}
    # No pool_pre_ping: its extra round trip at every checkout cost PostgreSQL a quarter of
    # a diary message's time.  A connection that died (a server restart) fails its next
    # statement instead; SQLAlchemy then discards the pool's old connections, and every
    # caller retries (bot.app.process_with_retry, the sender's loop, until_stored).
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def _begin_immediate(connection: Connection) -> None:
    # A deferred transaction that reads, then writes, fails at once with "database is
    # locked" when another connection wrote in between; taking the write lock up front
    # makes it wait (busy_timeout) instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN, not the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One session, one commit (rolled back on error)."""
    async with sessions() as session, session.begin():
        yield session


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    except (OSError, ConnectionError) as exc:
        raise DatabaseError(f"database unreachable: {exc}") from None
    except Exception as exc:
        if type(exc).__module__.startswith(("sqlalchemy", "asyncpg", "sqlite3")):
            raise DatabaseError(f"database unreachable: {_first_line(exc)}") from None
        raise


async def ensure_at_head(engine: AsyncEngine) -> None:
    """Refuse to serve a database whose schema is behind the code."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise DatabaseError(
            f"the database is at revision {current or 'none'}, the code needs {head}: "
            "run `sinhke db upgrade` first"
        )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
