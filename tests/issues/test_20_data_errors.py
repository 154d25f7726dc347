"""Issue 20, item 5: an update the database refuses for what it holds (a broken constraint,
a value too long for its column) is marked failed after its tries, with the apology,
instead of being taken for an outage or left pending for the sweep to retry for ever; the
other updates of its burst and the chat's next messages are handled; the log says so in a
few lines, without the household's text."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.context import Context
from bot.core.contract import Incoming, Update
from bot.core.inbound import record_batch
from bot.core.outage import deterministic
from bot.core.processor import APOLOGY
from bot.core.router import Router
from models import Area, Inbound, Outbox
from tests.dialog import MemoryChannel, make_app

SECRET_TEXT = "bán heo nái 7 triệu"


def storing_router() -> Router:
    """A handler that stores the message as an area's code: ``dup`` twice breaks the
    unique code, a long text exceeds the code's 32 characters."""
    router = Router()

    async def store(ctx: Context) -> None:
        code = (
            ctx.incoming.text.split(" ", 1)[0]
            if ctx.incoming.text.startswith("dup")
            else (ctx.incoming.text)
        )
        ctx.session.add(Area(code=code, name="x", kind="commune"))
        if code == "dup":
            ctx.session.add(Area(code="dup", name="again", kind="commune"))
        await ctx.session.flush()
        ctx.reply(f"stored {len(code)}")

    router.text(store)
    return router


async def stored(sessions: async_sessionmaker[AsyncSession], *texts: str) -> list[int]:
    batch = [Update(str(n), Incoming("telegram", "42", text=text)) for n, text in enumerate(texts)]
    return [inbound_id for inbound_id, _ in await record_batch(sessions, batch)]


async def run_burst(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    *texts: str,
) -> tuple[list[str], list[str]]:
    """The texts' updates handled as one burst; their statuses and the replies queued."""
    monkeypatch.setattr("bot.app.retry_delay", lambda _tries: 0.0)
    app = make_app(settings, sessions, MemoryChannel())
    app.processor.router = storing_router()
    ids = await stored(sessions, *texts)
    await app.process_with_retry(*ids)
    async with sessions() as session:
        statuses = [
            status
            for status in await session.scalars(
                select(Inbound.status).where(Inbound.id.in_(ids)).order_by(Inbound.id)
            )
        ]
        replies = [
            body["text"] for body in await session.scalars(select(Outbox.body).order_by(Outbox.id))
        ]
    return statuses, replies


async def test_a_broken_constraint_fails_its_update_only(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO):
        statuses, replies = await run_burst(
            settings, sessions, monkeypatch, "first", f"dup {SECRET_TEXT}", "third"
        )
    assert statuses == ["done", "failed", "done"]
    assert replies == ["stored 5", APOLOGY, "stored 5"]
    async with sessions() as session:
        error = await session.scalar(select(Inbound.error).where(Inbound.status == "failed"))
        assert error is not None and "IntegrityError" in error
        assert await session.scalar(select(func.count(Area.id))) == 2
    # A few lines, none with what the household wrote, no outage declared.
    assert len(caplog.records) <= 6
    assert not [r for r in caplog.records if "heo" in r.getMessage() or r.exc_info]
    assert not [r for r in caplog.records if "database: " in r.getMessage()]
    assert [r.levelname for r in caplog.records].count("ERROR") == 1


async def test_a_value_too_long_for_its_column_fails_its_update(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if sessions.kw["bind"].dialect.name == "sqlite":
        pytest.skip("SQLite stores a text of any length whatever its column's declared size")
    long_text = "hàng xóm cho mượn " * 3 + SECRET_TEXT  # over the code's 32 characters
    with caplog.at_level(logging.INFO):
        statuses, replies = await run_burst(settings, sessions, monkeypatch, long_text, "next")
    assert statuses == ["failed", "done"]
    assert replies == [APOLOGY, "stored 4"]
    async with sessions() as session:
        error = await session.scalar(select(Inbound.error).where(Inbound.status == "failed"))
        assert error is not None and "value too long" in error
        assert "heo" not in error  # the statement's parameters are never in an error's text
    assert not [r for r in caplog.records if "heo" in r.getMessage() or r.exc_info]


def test_what_counts_as_deterministic() -> None:
    broken = IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed"))
    assert deterministic(broken)
    lost = OperationalError("SELECT 1", {}, ConnectionResetError("reset by peer"))
    assert not deterministic(lost)
    assert not deterministic(RuntimeError("a bug"))
