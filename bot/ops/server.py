"""`GET /healthz` and `GET /metrics` of `sinhke run`, on its own port (``[ops]``).

Served on the bot's event loop by every process, leading or not: a process standing by
is healthy, it just does not receive updates nor run the scheduler.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.outage import Outage
from bot.db import current_revision, head_revision
from bot.ops.metrics import PROCESS_METRICS, Gauge, render
from models import Alert, Outbox

# A health check or a scrape waits at most this long for the database.
DATABASE_TIMEOUT = 5.0


@dataclass
class Health:
    """What this process knows of its own parts, kept up to date by `sinhke run`."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    outage: Outage
    scheduler_enabled: bool
    channels: list[str] = field(default_factory=list)
    leading: bool = False
    receiving: asyncio.Task[Any] | None = None
    senders: list[asyncio.Task[Any]] = field(default_factory=list)

    async def report(self) -> tuple[bool, dict[str, str]]:
        """Whether all is well, and one line per part."""
        parts: dict[str, str] = {}
        healthy = True
        try:
            current = await asyncio.wait_for(current_revision(self.engine), DATABASE_TIMEOUT)
            parts["database"] = "reachable"
            head = head_revision()
            if current == head:
                parts["migrations"] = f"at head ({head})"
            else:
                parts["migrations"] = f"at {current or 'none'}, the code needs {head}"
                healthy = False
        except Exception as exc:
            parts["database"] = f"unreachable ({type(exc).__name__})"
            parts["migrations"] = "unknown"
            healthy = False
        if self.outage.reason is not None:
            parts["database"] = self.outage.reason
            healthy = False
        alive = sum(not task.done() for task in self.senders)
        parts["senders"] = f"{alive} of {len(self.senders)} running"
        healthy &= alive == len(self.senders) > 0
        if self.leading:
            receiving = self.receiving is not None and not self.receiving.done()
            parts["receiver"] = "receiving" if receiving else "stopped"
            healthy &= receiving
        else:
            parts["receiver"] = "standing by (another process leads)"
        if not self.scheduler_enabled:
            parts["scheduler"] = "disabled here"
        else:
            parts["scheduler"] = "running (leader)" if self.leading else "standing by"
        return healthy, parts

    async def gauges(self) -> list[Gauge]:
        """The series read from the database (and this process's state) at each scrape."""
        pending = Gauge("sinhke_outbox_pending", "Outbox messages waiting to be sent.")
        failed = Gauge("sinhke_outbox_failed", "Outbox messages given up on.")
        alerts = Gauge("sinhke_alerts_open", "Alerts open (not acknowledged nor resolved).")
        outage = Gauge("sinhke_database_outage", "1 while the database is unavailable.")
        leader = Gauge("sinhke_leader", "1 when this process receives and runs the scheduler.")
        for channel in self.channels:  # a zero is a value; a missing series is not
            pending.set(0, channel=channel)
            failed.set(0, channel=channel)
        outage.set(1 if self.outage.reason is not None else 0)
        leader.set(1 if self.leading else 0)
        if self.outage.reason is None:
            async with self.sessions() as session:
                counts = await session.execute(
                    select(Outbox.channel, Outbox.status, func.count())
                    .where(Outbox.status.in_(("pending", "sending", "failed")))
                    .group_by(Outbox.channel, Outbox.status)
                )
                for channel, status, count in counts:
                    gauge = failed if status == "failed" else pending
                    gauge.inc(count, channel=channel)
                open_alerts = await session.scalar(
                    select(func.count()).select_from(Alert).where(Alert.status == "open")
                )
                alerts.set(open_alerts or 0)
        return [pending, failed, alerts, outage, leader]


def ops_app(health: Health) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        healthy, parts = await health.report()
        body = json.dumps({"ok": healthy, **parts}, ensure_ascii=False, indent=1)
        return web.Response(
            text=body + "\n", status=200 if healthy else 503, content_type="application/json"
        )

    async def metrics(_request: web.Request) -> web.Response:
        try:
            gauges = await asyncio.wait_for(health.gauges(), DATABASE_TIMEOUT)
        except Exception:
            gauges = []  # the database's series are left out; the process's still count
        body = render((*PROCESS_METRICS, *gauges))
        return web.Response(
            body=body.encode(), headers={"Content-Type": "text/plain; version=0.0.4"}
        )

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


async def start_ops_server(health: Health, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Start serving; the runner (to clean up) and the port it listens on."""
    return await start_app(ops_app(health), host, port)


async def start_app(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Serve ``app`` on the running loop; the runner (to clean up) and the bound port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise OSError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    server = site._server  # aiohttp keeps the bound socket there; port 0 is resolved in it
    sockets = getattr(server, "sockets", None) or []
    bound = int(sockets[0].getsockname()[1]) if sockets else port
    return runner, bound
