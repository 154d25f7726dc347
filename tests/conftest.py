"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when
``SINHKE_TEST_DATABASE_URL`` says so), settings, and a dialog driver."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import alembic_config, create_engine, session_factory
from models import Base
from tests.replies import COLLECTOR, Heard, log_replies, style_problems

TEST_DATABASE_ENV = "SINHKE_TEST_DATABASE_URL"
# Fails any test that tried to reach beyond this machine, even if the code caught the error.
pytest_plugins = ["tests.standins.network_guard"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head once per test session."""
    url = os.environ.get(TEST_DATABASE_ENV) or (
        f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    command.upgrade(alembic_config(url), "head")
    yield url


async def _empty_all_tables(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        names = [table.name for table in reversed(Base.metadata.sorted_tables)]
        if session.bind.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in names)
            await session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                await session.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
async def sessions(
    database_url: str, request: pytest.FixtureRequest
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test database, emptied before each test; afterwards every reply
    the test's in-memory channels sent is checked against the style guide."""
    engine = create_engine(database_url)
    factory = session_factory(engine)
    await _empty_all_tables(factory)
    COLLECTOR.heard.clear()
    try:
        yield factory
        await check_replies(factory, request)
    finally:
        await engine.dispose()


async def _readers(
    sessions: async_sessionmaker[AsyncSession], heard: list[Heard]
) -> dict[tuple[str, str], tuple[bool, str]]:
    """(channel, address) → (an officer?, locale) of each chat that was answered."""
    from models import Contact

    addresses = {(one.channel, one.address) for one in heard}
    async with sessions() as session:
        rows = await session.execute(
            select(Contact.channel, Contact.address, Contact.officer_id, Contact.locale)
        )
        return {
            (channel, address): (officer_id is not None, locale)
            for channel, address, officer_id, locale in rows
            if (channel, address) in addresses
        }


async def check_replies(
    sessions: async_sessionmaker[AsyncSession], request: pytest.FixtureRequest
) -> None:
    """Every reply the test's in-memory channels sent, read against docs/style.md."""
    heard = list(COLLECTOR.heard)
    COLLECTOR.heard.clear()
    if not heard:
        return
    try:
        readers = await _readers(sessions, heard)
    except Exception:  # the test left no readable database (it restored a backup elsewhere)
        readers = {}
    log_replies(heard, readers, request.node.nodeid)
    broken = [
        f"{one.shown!r}: {'; '.join(problems)}"
        for one in heard
        if (problems := style_problems(one, readers.get((one.channel, one.address))))
    ]
    if broken:
        pytest.fail("replies against docs/style.md:\n" + "\n".join(broken), pytrace=False)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database={"url": database_url})


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
