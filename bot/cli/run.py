"""``sinhke run``: every configured channel, the workers, the senders (and the scheduler)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import typer
from aiohttp import web

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.cli.common import UserError, database, run, state
from bot.config import Settings

log = logging.getLogger("sinhke")


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_command(
        lanes: int = typer.Option(0, help="Parallel worker lanes (default: 1 on SQLite, 4 else)"),
    ) -> None:
        """Run the bot on the configured channels until stopped (SIGTERM or Ctrl-C)."""
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        logging.getLogger("aiogram").setLevel(logging.WARNING)
        run(serve(state.settings(), lanes=lanes))


async def serve(settings: Settings, *, lanes: int = 0) -> None:
    if not settings.telegram.token.get_secret_value():
        raise UserError("no channel configured: set [telegram] token (or SINHKE_TELEGRAM__TOKEN)")
    async with database(settings) as (engine, sessions):
        lanes = lanes or (1 if engine.dialect.name == "sqlite" else 4)
        telegram = TelegramChannel(settings.telegram)
        app = App(settings=settings, sessions=sessions, channels=[telegram], lanes=lanes)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        try:
            me = await telegram.bot.get_me()
        except Exception as exc:
            await telegram.close()
            raise UserError(f"telegram: cannot reach the Bot API ({exc})") from None
        replayed = await app.replay_pending()
        log.info("database: %s (%d updates replayed)", engine.url.render_as_string(), replayed)
        runner: web.AppRunner | None = None
        if settings.telegram.mode == "webhook":
            hook = settings.telegram.webhook
            runner = web.AppRunner(telegram.webhook_app(sessions, app.submit))
            await runner.setup()
            await web.TCPSite(runner, hook.host, hook.port).start()
            await telegram.register_webhook()
            receiver: asyncio.Task[None] | None = None
            log.info(
                "telegram: @%s webhook on %s:%d%s", me.username, hook.host, hook.port, hook.path
            )
        else:
            receiver = asyncio.create_task(telegram.poll(sessions, app.submit, stop))
            log.info("telegram: @%s long polling", me.username)
        log.info("sender and %d worker lane(s) started", lanes)
        try:
            await app.serve(stop)
        finally:
            if receiver is not None:
                receiver.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await receiver
            if runner is not None:
                await runner.cleanup()
            await telegram.close()
            log.info("stopped")
