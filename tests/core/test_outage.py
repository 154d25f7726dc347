"""Riding out a database that is away: what counts as that, two log lines, one notice."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.contract import Incoming, Update
from bot.core.inbound import record_batch
from bot.core.outage import DELAY_NOTICE, FULL, UNREACHABLE, Outage, trouble
from bot.core.processor import APOLOGY
from models import Entry, Inbound, Outbox
from tests.dialog import MemoryChannel, make_app, seed_joined_households, seed_programme

OUTAGE_LOG = "bot.core.outage"


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The outage log's messages without their details or the seconds it lasted (a loaded
    machine may take a second longer)."""
    return [
        r.getMessage().split(" (")[0].split(" after ")[0]
        for r in caplog.records
        if r.name == OUTAGE_LOG
    ]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class DriverError(Exception):
    """A driver's error with a SQLSTATE, as asyncpg's (and SQLAlchemy's wrapper) carry."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def sqlite_full(tmp_path: Path) -> sqlite3.Error:
    """The error SQLite gives when it needs a page the disk (here: a limit) has not."""
    connection = sqlite3.connect(tmp_path / "full.db", isolation_level=None)
    connection.execute("CREATE TABLE t (x)")
    connection.execute("PRAGMA max_page_count = 1")
    try:
        connection.execute("INSERT INTO t VALUES (?)", ("x" * 10_000,))
    except sqlite3.Error as exc:
        return exc
    finally:
        connection.close()
    raise AssertionError("the insert should not fit")


def test_what_counts_as_the_database_being_away(tmp_path: Path) -> None:
    full = sqlite_full(tmp_path)
    assert trouble(full) == FULL
    assert trouble(OperationalError("INSERT …", {}, full)) == FULL
    assert trouble(DBAPIError("INSERT …", {}, DriverError("53100"))) == FULL
    assert trouble(ConnectionRefusedError(111, "Connect call failed")) == UNREACHABLE
    assert trouble(ConnectionResetError()) == UNREACHABLE
    assert trouble(TimeoutError()) == UNREACHABLE
    lost = DBAPIError("SELECT 1", {}, Exception("closed"), connection_invalidated=True)
    assert trouble(lost) == UNREACHABLE
    assert trouble(DriverError("08006")) == UNREACHABLE  # connection failure
    assert trouble(DriverError("57P03")) == UNREACHABLE  # the server is starting up
    # Anything else is its caller's to report, as before.
    assert trouble(IntegrityError("INSERT …", {}, DriverError("23505"))) is None
    assert trouble(OperationalError("BEGIN", {}, sqlite3.OperationalError("locked"))) is None
    assert trouble(ValueError("a bug")) is None


async def test_an_outage_is_logged_once_and_its_end_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outage = Outage(clock=Clock())
    with caplog.at_level(logging.INFO, logger=OUTAGE_LOG):
        assert not outage.failed(ValueError("a bug"))
        for _ in range(3):
            assert outage.failed(ConnectionRefusedError(111, "Connect call failed"))
        outage.ok()
        outage.ok()
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "database: unreachable",
        "database: working again after 0 s",
    ]


async def test_waiting_chats_are_told_once_and_only_when_it_lasts() -> None:
    clock, channel = Clock(), MemoryChannel()
    outage = Outage(notice_after=30, clock=clock)
    outage.failed(ConnectionResetError())
    await outage.tell(channel, ["1"])
    assert channel.sent == []  # a short outage is nobody's business
    clock.now += 30
    await outage.tell(channel, ["1", "2"])
    await outage.tell(channel, ["1", "2", "3"])
    assert [address for address, _ in channel.sent] == ["1", "2", "3"]
    assert {reply.text for _, reply in channel.sent} == {DELAY_NOTICE}
    outage.ok()
    outage.failed(ConnectionResetError())  # the next outage is news again
    clock.now += 30
    await outage.tell(channel, ["1"])
    assert [address for address, _ in channel.sent] == ["1", "2", "3", "1"]


async def test_a_message_the_full_disk_cannot_take_waits_for_space(
    settings: Settings,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Stored, then not handled for a full disk: no apology, no giving up; recorded once
    there is space, and the household told meanwhile when it lasts."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        pytest.skip("fills SQLite's disk")
    await seed_programme(sessions)
    [chat] = await seed_joined_households(sessions, 1)
    channel = MemoryChannel()
    app = make_app(settings, sessions, channel)
    app.outage.notice_after = 0  # told at the first failure
    [(inbound_id, _)] = await record_batch(
        sessions,
        [
            Update(
                "1",
                Incoming(
                    "telegram",
                    str(chat),
                    text="bán heo 3 triệu, ghi chú: " + "heo nái đẻ lứa đầu " * 150,
                ),
            )
        ],
    )
    app.submit("telegram", inbound_id, str(chat))
    await app.lanes[0].get()

    # Free pages left by emptying the tables would take the entry: none on a full disk.
    assert url.database
    vacuum = sqlite3.connect(url.database, isolation_level=None)
    vacuum.execute("VACUUM")
    vacuum.close()
    disk = {"full": True}

    def limit_growth(dbapi_connection: Any, *_: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count = {1 if disk['full'] else 1_073_741_823}")
        cursor.close()

    tries: list[int] = []

    def space_after_three_tries(n: int) -> float:
        tries.append(n)
        disk["full"] = n < 3
        return 0.0

    monkeypatch.setattr("bot.app.retry_delay", space_after_three_tries)
    pool = sessions.kw["bind"].sync_engine.pool
    event.listen(pool, "checkout", limit_growth)
    try:
        with caplog.at_level(logging.INFO):
            await app.process_with_retry(inbound_id)
    finally:
        event.remove(pool, "checkout", limit_growth)

    assert tries == [1, 2, 3]
    async with sessions() as session:
        assert await session.scalar(select(Inbound.status).where(Inbound.id == inbound_id)) == (
            "done"
        )
        assert await session.scalar(select(func.count(Entry.id))) == 1
        texts = (await session.scalars(select(Outbox.body))).all()
    assert not any(APOLOGY in body["text"] for body in texts)
    assert [(address, reply.text) for address, reply in channel.sent] == [(str(chat), DELAY_NOTICE)]
    assert outage_lines(caplog) == ["database: the disk is full", "database: working again"]
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_send_is_recorded_once_the_database_is_back(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given up, an unrecorded send's claim would run out and the message go out twice."""
    await seed_programme(sessions)
    [chat] = await seed_joined_households(sessions, 1)
    channel = MemoryChannel()
    app = make_app(settings, sessions, channel)
    [(inbound_id, _)] = await record_batch(
        sessions, [Update("1", Incoming("telegram", str(chat), text="bán heo 3 triệu"))]
    )
    await app.process_with_retry(inbound_id)
    sender = app.senders["telegram"]
    settle = sender._settle
    failures = [ConnectionResetError(), ConnectionResetError()]

    async def settle_when_back(*args: Any) -> None:
        if failures:
            raise failures.pop()
        await settle(*args)

    monkeypatch.setattr(sender, "_settle", settle_when_back)
    monkeypatch.setattr("bot.core.sender.retry_delay", lambda _tries: 0.0)
    await sender.send_due()
    await sender.send_due()  # nothing left: the send was recorded
    assert len(channel.sent) == 1
    async with sessions() as session:
        assert (await session.scalars(select(Outbox.status))).all() == ["sent"]
    assert app.outage.reason is None
