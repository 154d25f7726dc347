"""What `sinhke run` needs of a channel beyond sending: checking it and receiving."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.contract import Channel

log = logging.getLogger(__name__)

# Hands a stored update (its inbound id and chat address) to the worker lanes.
Submit = Callable[[int, str], None]


class Receiver(Channel, Protocol):
    async def check(self) -> str:
        """Reach the platform (e.g. getMe); the line to log, or raise with the reason."""
        ...

    async def receive(
        self, sessions: async_sessionmaker[AsyncSession], submit: Submit, stop: asyncio.Event
    ) -> None:
        """Poll or serve a webhook until ``stop``; store each update before acknowledging it."""
        ...

    async def close(self) -> None: ...


async def until_stored(store: Callable[[], Awaitable[None]], channel: str) -> None:
    """Keep trying while the database is unreachable: a platform must not be told an
    update was received (the next poll, the webhook's 200) before it is stored."""
    delay = 0.5
    while True:
        try:
            await store()
            return
        except Exception:
            log.warning("%s: cannot store updates, retrying in %.1fs", channel, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


async def serve_until(
    stop: asyncio.Event,
    app: web.Application,
    host: str,
    port: int,
    on_started: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Serve ``app`` on ``host:port`` until ``stop`` is set."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        if on_started is not None:
            await on_started()
        await stop.wait()
    finally:
        await runner.cleanup()
