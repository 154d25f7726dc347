"""What the CLI commands share: the loaded settings, the database, one-line errors."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import ENV_CONFIG, Settings, config_path, load_settings
from bot.db import create_engine, ensure_at_head, session_factory

T = TypeVar("T")


class UserError(Exception):
    """A mistake in what the operator asked for; shown as one line."""


@dataclass
class CliState:
    config: str | None = None

    def settings(self) -> Settings:
        explicit = Path(self.config) if self.config else None
        # Only a file named on purpose (--config, $SINHKE_CONFIG) must exist.
        named = explicit is not None or bool(os.environ.get(ENV_CONFIG))
        return load_settings(config_path(explicit), required=named)


state = CliState()


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@asynccontextmanager
async def database(
    settings: Settings, *, check_head: bool = True
) -> AsyncIterator[tuple[AsyncEngine, async_sessionmaker[AsyncSession]]]:
    engine = create_engine(settings.database.url, echo=settings.database.echo)
    try:
        if check_head:
            await ensure_at_head(engine)
        yield engine, session_factory(engine)
    finally:
        await engine.dispose()


def print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)
