from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.botprocess import BotProcess, write_config
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin


@pytest.fixture
async def telegram() -> AsyncIterator[TelegramStandin]:
    async with TelegramStandin() as standin:
        yield standin


@pytest.fixture
async def bot(
    tmp_path: Path, database_url: str, sessions: object, telegram: TelegramStandin
) -> AsyncIterator[BotProcess]:
    """`sinhke run` on the emptied test database, talking to the Telegram stand-in."""
    config = write_config(
        tmp_path / "config.toml",
        database_url=database_url,
        api_base=telegram.base_url,
        token=DEFAULT_TOKEN,
    )
    process = BotProcess(config)
    yield process
    await process.__aexit__()
