"""``sinhke run``: every configured channel, the workers, the senders (and the scheduler)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import signal
from typing import TYPE_CHECKING

import typer
from aiohttp import web

from bot.channels.receiver import Receiver
from bot.cli.common import UserError, database, run, state
from bot.cli.web import start_web
from bot.config import Settings
from bot.core.capabilities import KNOWN

if TYPE_CHECKING:
    from bot.ops.server import Health

log = logging.getLogger("sinhke")


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_command(
        lanes: int = typer.Option(0, help="Parallel worker lanes (default: 1 on SQLite, 4 else)"),
    ) -> None:
        """Run the bot on the configured channels until stopped (SIGTERM or Ctrl-C)."""
        from bot.ops import logs

        logs.configure()
        logging.getLogger("aiogram").setLevel(logging.WARNING)
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
        # Alembic says "Context impl …" at every schema check, i.e. at every /healthz.
        logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
        run(serve(state.settings(), lanes=lanes))


def configured_channels(settings: Settings) -> list[Receiver]:
    """The adapter of each channel (``bot.core.capabilities.KNOWN``) that is configured:
    ``bot/channels/<name>`` builds its own from the settings (none without a token)."""
    channels: list[Receiver] = []
    for name in KNOWN:
        adapter = importlib.import_module(f"bot.channels.{name}")
        try:
            channel: Receiver | None = adapter.from_settings(settings)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if channel is not None:
            channels.append(channel)
    return channels


async def _start_ops(settings: Settings, health: Health) -> web.AppRunner | None:
    """Serve /healthz and /metrics on ``[ops]`` host and port, unless turned off."""
    from bot.ops.server import start_ops_server

    ops = settings.ops
    if not ops.enabled:
        return None
    try:
        runner, port = await start_ops_server(health, ops.host, ops.port)
    except OSError as exc:
        raise UserError(f"[ops]: {exc}; set [ops] port (SINHKE_OPS__PORT) or enabled") from None
    log.info("ops: /healthz and /metrics on http://%s:%d", ops.host, port)
    return runner


async def serve(settings: Settings, *, lanes: int = 0) -> None:
    # The whole bot: imported only when it is going to run.
    from bot.app import SHARED_SWEEP_AFTER, SWEEP_AFTER, App
    from bot.leader import Leadership
    from bot.ops.server import Health
    from bot.scheduler import build_scheduler

    channels = configured_channels(settings)
    if not channels:
        raise UserError(
            "no channel configured: set [telegram] token or [zalo] token "
            "(or SINHKE_TELEGRAM__TOKEN, SINHKE_ZALO__TOKEN)"
        )
    try:
        async with database(settings) as (engine, sessions):
            lanes = lanes or (1 if engine.dialect.name == "sqlite" else 4)
            shared = engine.dialect.name == "postgresql"  # several processes may serve it
            app = App(
                settings=settings,
                sessions=sessions,
                channels=channels,
                lanes=lanes,
                sweep_after=SHARED_SWEEP_AFTER if shared else SWEEP_AFTER,
            )
            for channel in channels:
                try:
                    log.info(await channel.check())
                except Exception as exc:
                    raise UserError(f"{channel.name}: cannot reach the platform ({exc})") from None
                await channel.introduce(app.sink(channel))
            health = Health(
                engine=engine,
                sessions=sessions,
                outage=app.outage,
                scheduler_enabled=settings.scheduler.enabled,
                channels=[channel.name for channel in channels],
                senders=app.sender_tasks,
            )
            replayed = await app.replay_pending()
            # What was built to start (modules, models, compiled statements) lives as long
            # as the process: out of the collector's sight, so its passes stay short.
            gc.freeze()
            log.info("database: %s (%d updates replayed)", engine.url.render_as_string(), replayed)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
            leadership = Leadership(engine)

            async def receive() -> None:
                await asyncio.gather(
                    *(channel.receive(app.sink(channel), stop) for channel in channels)
                )

            async def lead() -> None:
                """Receive updates and run the scheduler while this process leads."""
                while await leadership.wait(stop):
                    scheduler = (
                        build_scheduler(sessions=sessions, settings=settings, clock=app.clock)
                        if settings.scheduler.enabled
                        else None
                    )
                    if scheduler is not None:
                        scheduler.start()
                        log.info("scheduler started")
                    log.info("leading: receiving updates")
                    receiving = asyncio.create_task(receive())
                    watching = asyncio.create_task(leadership.lost(stop))
                    health.leading, health.receiving = True, receiving
                    try:
                        await asyncio.wait({receiving, watching}, return_when="FIRST_COMPLETED")
                    finally:
                        health.leading = False
                        # Updates held unstored are not acknowledged: the next leader gets them.
                        for task in (receiving, watching):
                            task.cancel()
                        await asyncio.wait({receiving, watching})
                        if scheduler is not None:
                            scheduler.shutdown(wait=False)  # a tick cut short rolls back whole
                    if not receiving.cancelled():
                        receiving.result()  # a channel's error is raised, as before
                        return
                    if stop.is_set():
                        return
                    log.warning("another process took the lead; standing by")

            ops_server = await _start_ops(settings, health)
            web_server = await start_web(settings, sessions) if settings.web.enabled else None
            leader = asyncio.create_task(lead())
            log.info("sender and %d worker lane(s) started", lanes)
            try:
                await app.serve(stop)
            finally:
                leader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await leader
                await leadership.release()
                for server in (ops_server, web_server):
                    if server is not None:
                        await server.cleanup()
            log.info("stopped")
    finally:
        for channel in channels:
            await channel.close()
