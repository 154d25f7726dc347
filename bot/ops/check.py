"""`sinhke check`: one line per part of a deployment, each right or not and why."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.config import ConfigError, Settings, load_settings
from bot.db import DatabaseError, create_engine, current_revision, head_revision
from bot.leader import Leadership

REACH_TIMEOUT = 10.0


@dataclass(frozen=True)
class Finding:
    ok: bool
    part: str
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.part}: {self.detail}"


async def check_all(path: Path, *, required: bool) -> AsyncIterator[Finding]:
    """Config, database, migrations, channels and scheduler, in that order; what depends
    on a part that failed is not tried."""
    try:
        settings = load_settings(path, required=required)
    except ConfigError as exc:
        yield Finding(False, "config", str(exc))
        return
    yield Finding(True, "config", f"{path}" if path.exists() else "built-in defaults")
    reachable = False
    async for finding in _database(settings):
        reachable |= finding.part == "database" and finding.ok
        yield finding
    async for finding in _channels(settings):
        yield finding
    if reachable:
        yield await _scheduler(settings)


async def _database(settings: Settings) -> AsyncIterator[Finding]:
    engine = create_engine(settings.database.url)
    try:
        where = engine.url.render_as_string()  # the password hidden
        try:
            current = await asyncio.wait_for(current_revision(engine), REACH_TIMEOUT)
        except (DatabaseError, TimeoutError) as exc:
            yield Finding(False, "database", f"{where}: {exc or 'no answer'}")
            return
        yield Finding(True, "database", where)
        head = head_revision()
        if current == head:
            yield Finding(True, "migrations", f"at head ({head})")
        else:
            yield Finding(
                False,
                "migrations",
                f"at {current or 'none (empty database)'}, the code needs {head}: "
                "run `sinhke db upgrade`",
            )
    finally:
        await engine.dispose()


async def _channels(settings: Settings) -> AsyncIterator[Finding]:
    from bot.cli.run import configured_channels

    channels = configured_channels(settings)
    if not channels:
        yield Finding(False, "channels", "none configured: set [telegram] token or [zalo] token")
        return
    for channel in channels:
        try:
            try:
                said = await asyncio.wait_for(channel.check(), REACH_TIMEOUT)
            except Exception as exc:
                yield Finding(False, channel.name, f"cannot use the token ({exc or 'no answer'})")
                continue
            yield Finding(True, channel.name, said.removeprefix(f"{channel.name}: "))
            if channel.name == "telegram" and settings.telegram.mode == "webhook":
                yield await _telegram_webhook(settings)
        finally:
            await channel.close()


async def _telegram_webhook(settings: Settings) -> Finding:
    """Is there a URL Telegram can call, with a secret, and does something answer there?"""
    hook = settings.telegram.webhook
    if not hook.secret.get_secret_value():
        return Finding(False, "webhook", "no [telegram.webhook] secret: anyone could post updates")
    if not hook.public_url:
        return Finding(False, "webhook", "no [telegram.webhook] public_url for Telegram to call")
    url = hook.public_url.rstrip("/") + hook.path
    try:
        timeout = aiohttp.ClientTimeout(total=REACH_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as client, client.post(url) as answer:
            status = answer.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Finding(False, "webhook", f"{url} not reachable from here ({type(exc).__name__})")
    # The bot answers 401 to a post without the secret: it is there.  Anything else is
    # a proxy in the way, or another service.
    if status == 401:
        return Finding(True, "webhook", f"{url} answers (the bot refuses a post without secret)")
    return Finding(False, "webhook", f"{url} answers HTTP {status}, not the bot")


async def _scheduler(settings: Settings) -> Finding:
    if not settings.scheduler.enabled:
        return Finding(True, "scheduler", "disabled here (another process must run it)")
    engine = create_engine(settings.database.url)
    try:
        if engine.dialect.name != "postgresql":
            return Finding(True, "scheduler", "runs in `sinhke run` (SQLite: one process)")
        leadership = Leadership(engine)
        if await leadership.try_acquire():
            await leadership.release()
            return Finding(True, "scheduler", "enabled; no process leads now (none running)")
        return Finding(True, "scheduler", "enabled; a running process leads and runs it")
    finally:
        await engine.dispose()
