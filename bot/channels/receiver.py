"""What `sinhke run` needs of a channel beyond sending: checking it and receiving."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.contract import Channel
from bot.core.outage import Outage, retry_delay

log = logging.getLogger(__name__)

# Hands a stored update (its inbound id and chat address) to the worker lanes.
Submit = Callable[[int, str], None]


class Receiver(Channel, Protocol):
    async def check(self) -> str:
        """Reach the platform (e.g. getMe); the line to log, or raise with the reason."""
        ...

    async def introduce(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Set what the platform shows of the bot (its menus, its description), where the
        platform lets a bot set them itself; a failure is logged, not raised."""
        ...

    async def receive(
        self,
        sessions: async_sessionmaker[AsyncSession],
        submit: Submit,
        stop: asyncio.Event,
        outage: Outage,
    ) -> None:
        """Poll or serve a webhook until ``stop``; store each update before acknowledging it
        (waiting out a database that is unavailable, see ``until_stored``)."""
        ...

    async def close(self) -> None: ...


async def until_stored(
    store: Callable[[], Awaitable[None]],
    channel: Channel,
    chats: Callable[[], list[str]],
    outage: Outage,
) -> None:
    """Keep trying while the database is unavailable: a platform must not be told an
    update was received (the next poll, the webhook's 200) before it is stored.  If that
    lasts, the updates' ``chats`` (their addresses) are told once."""
    tries = 0
    while True:
        try:
            await store()
        except Exception as exc:
            tries += 1
            if not outage.failed(exc) and tries == 1:
                log.exception("%s: cannot store updates; retrying until stored", channel.name)
            if outage.long:
                await outage.tell(channel, chats())
            await asyncio.sleep(retry_delay(tries))
        else:
            if tries:
                outage.ok()
            return


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
