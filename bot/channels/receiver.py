"""What `sinhke run` needs of a channel beyond sending: checking it and receiving."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web

from bot.core.contract import Channel, Sink


class Receiver(Channel, Protocol):
    async def check(self) -> str:
        """Reach the platform (e.g. getMe); the line to log, or raise with the reason."""
        ...

    async def introduce(self, sink: Sink) -> None:
        """Set what the platform shows of the bot (its menus, its description), where the
        platform lets a bot set them itself; a failure is logged, not raised."""
        ...

    async def receive(self, sink: Sink, stop: asyncio.Event) -> None:
        """Poll or serve a webhook until ``stop``; hand each update to ``sink`` and
        acknowledge it to the platform only once the sink has it stored."""
        ...

    async def close(self) -> None: ...


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
