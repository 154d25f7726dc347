"""``sinhke web``: the officers' web page alone (``sinhke run`` serves it too when
``[web] enabled``)."""

from __future__ import annotations

import asyncio
import logging
import signal

import typer
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.common import UserError, database, run, state
from bot.config import Settings

log = logging.getLogger("sinhke")


def register(app: typer.Typer) -> None:
    @app.command("web")
    def web_command() -> None:
        """Serve the officers' web page (the web section's host and port) until stopped."""
        from bot.ops import logs

        logs.configure()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
        run(_serve_alone(state.settings()))


async def start_web(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> web.AppRunner:
    """Serve the web page on the running loop (its runner, to clean up)."""
    from bot.ops.server import start_app
    from bot.web.app import web_app

    config = settings.web
    try:
        runner, port = await start_app(
            web_app(settings=settings, sessions=sessions), config.host, config.port
        )
    except OSError as exc:
        raise UserError(f"[web]: {exc}; set [web] port (SINHKE_WEB__PORT)") from None
    log.info(
        "web: officers' page on http://%s:%d (links: %s)", config.host, port, config.public_url
    )
    return runner


async def _serve_alone(settings: Settings) -> None:
    async with database(settings) as (_engine, sessions):
        runner = await start_web(settings, sessions)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
        log.info("stopped")
