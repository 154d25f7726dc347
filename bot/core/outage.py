"""Riding out a database that is unreachable or out of disk space.

While it lasts, nothing is lost: a receiver holds the updates it cannot store (the
platform is not told they were received), the workers keep the stored updates they cannot
handle, the sender keeps the result of a send it cannot record.  Each keeps trying, and
the process says so in two lines: a warning when the outage begins, one line when it ends.
A chat whose message waits longer than ``[database] outage_notice_after`` is told once,
straight through its channel: the outbox is in the database.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from bot.core.contract import Channel, Reply
from bot.i18n import N_

log = logging.getLogger(__name__)

FULL = "the disk is full"
UNREACHABLE = "unreachable"
DELAY_NOTICE = N_(
    "Dạ, hệ thống đang chậm một chút, tin của anh/chị vẫn được giữ và sẽ ghi sau ít phút."
)
# Waits between tries while the database is away: short at first, then every 2 s.
RETRY_SECONDS = (0.5, 1.0, 2.0)


def retry_delay(tries: int) -> float:
    """How long to wait after ``tries`` failed tries (1 or more)."""
    return RETRY_SECONDS[min(tries, len(RETRY_SECONDS)) - 1]


def trouble(exc: BaseException) -> str | None:
    """Why the database cannot do its work now, when ``exc`` says so; None for any other
    error (a bug, a broken constraint), which its caller reports as before."""
    driver = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    sqlstate = str(getattr(driver, "sqlstate", None) or "")
    sqlite_code = getattr(driver, "sqlite_errorcode", 0) if isinstance(driver, sqlite3.Error) else 0
    if sqlite_code & 0xFF == sqlite3.SQLITE_FULL or sqlstate == "53100":  # PostgreSQL's disk_full
        return FULL
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return UNREACHABLE
    # Refused, reset, timed out; PostgreSQL's "connection exception" class and its
    # shutting down or starting up (57P01-57P03).
    if isinstance(driver, OSError) or sqlstate.startswith(("08", "57P")):
        return UNREACHABLE
    return None


def deterministic(exc: BaseException) -> bool:
    """True when the database refused the work itself (a broken constraint, a value too
    long for its column, a bad number): trying again gives the same answer, so the work
    must be given up, not waited out.  A connection lost mid-statement is not one."""
    if trouble(exc) is not None:
        return False
    if isinstance(exc, IntegrityError | DataError):
        return True
    driver = getattr(exc, "orig", None) or exc
    if isinstance(driver, sqlite3.IntegrityError | sqlite3.DataError):
        return True
    # PostgreSQL's classes 22 (data exception) and 23 (integrity constraint violation).
    return str(getattr(driver, "sqlstate", None) or "").startswith(("22", "23"))


class Outage:
    """What this process knows of the database's availability; one per process.

    Whoever finds the database unavailable calls :meth:`failed`; whoever then gets through
    what had failed calls :meth:`ok`.  Only such a retry ends an outage: on a full disk,
    reads and small writes may still pass while larger ones fail.
    """

    def __init__(
        self,
        *,
        notice_after: float = 30.0,
        notice: str = DELAY_NOTICE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.notice_after = notice_after
        self.notice = notice
        self.clock = clock
        self.reason: str | None = None
        self.since = 0.0
        self._told: set[tuple[str, str]] = set()

    def failed(self, exc: BaseException) -> bool:
        """True when ``exc`` is the database being unavailable (logged once per outage);
        False for any other error, which the caller reports itself."""
        reason = trouble(exc)
        if reason is None:
            return False
        if self.reason is None:
            self.reason, self.since = reason, self.clock()
            log.warning(
                "database: %s (%s); holding the work until it can be done",
                reason,
                error_line(exc),
            )
        return True

    def ok(self) -> None:
        """Something that had failed for want of the database went through."""
        if self.reason is not None:
            log.info("database: working again after %.0f s", self.clock() - self.since)
            self.reason = None
            self._told.clear()

    @property
    def long(self) -> bool:
        """The outage has lasted long enough for waiting chats to be told."""
        return self.reason is not None and self.clock() - self.since >= self.notice_after

    async def tell(self, channel: Channel, addresses: list[str]) -> None:
        """Once an outage is long, tell each of these chats once that its message waits.

        Sent directly, paced to the channel, and only tried once: a chat that does not
        get it still gets its answer when the database is back.
        """
        if not self.long:
            return
        for address in addresses:
            if (channel.name, address) in self._told:
                continue
            self._told.add((channel.name, address))
            try:
                await channel.send(address, Reply(self.notice), edit_ref=None)
            except Exception as exc:
                log.debug("%s: delay notice not sent: %s", channel.name, exc)
            await asyncio.sleep(1 / channel.rate_global)


def error_line(exc: BaseException) -> str:
    """The driver's error in one line: its kind and first line, never the statement nor
    its parameters (which hold what a household wrote)."""
    error = getattr(exc, "orig", None) or exc
    name, text = type(error).__name__, str(error).strip()
    return f"{name}: {text.splitlines()[0]}" if text else name
