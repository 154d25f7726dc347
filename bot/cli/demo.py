"""``sinhke demo``: the bot in the terminal, on its own SQLite file, no token, no network."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import typer
from alembic import command
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.console import ConsoleChannel
from bot.cli.common import database, run, state
from bot.config import Settings
from bot.core.contract import Incoming, Update
from bot.core.inbound import record_batch
from bot.db import alembic_config, transaction
from bot.i18n import Translator, translator
from bot.services.people import demo
from models import utcnow

if TYPE_CHECKING:
    from bot.app import App

DEMO_DATABASE = "sqlite+aiosqlite:///data/demo.db"
NOTICE_POLL_SECONDS = 1.0


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        database_url: str = typer.Option(
            DEMO_DATABASE, "--database", help="Database for the demo (its own SQLite file)."
        ),
    ) -> None:
        """Chat with the bot in the terminal as a demo household (one message per line)."""
        settings = state.settings()
        settings = settings.model_copy(
            update={"database": settings.database.model_copy(update={"url": database_url})}
        )
        command.upgrade(alembic_config(database_url), "head")
        run(chat(settings, sys.stdin, sys.stdout, interactive=sys.stdin.isatty()))


async def chat(settings: Settings, stdin: TextIO, stdout: TextIO, *, interactive: bool) -> None:
    from bot.app import App  # the whole bot: imported only when it is going to run

    async with database(settings) as (_, sessions):
        async with transaction(sessions) as session:
            await demo.seed(session, settings, utcnow())
        channel = ConsoleChannel(stdout, Path("data/console"))
        app = App(settings=settings, sessions=sessions, channels=[channel])
        sender = app.senders[channel.name]
        t = translator(settings.programme.default_locale)
        if interactive:
            stdout.write(
                t._(
                    "Sổ nhật ký (demo) — hộ Nguyễn Văn Ba. Thử gõ: bán heo 3 triệu, /thang, "
                    "/huongdan. Ctrl-D để thoát."
                )
                + "\n"
            )
        sending = asyncio.Lock()

        async def send_what_is_due() -> None:
            async with sending:
                while await sender.send_due():
                    pass

        async def keep_sending() -> None:
            """What is queued while the demo waits for a line (a reminder, a late answer)
            is shown at once, not after the next message."""
            while True:
                await asyncio.sleep(NOTICE_POLL_SECONDS)
                await send_what_is_due()

        background = asyncio.create_task(keep_sending())
        try:
            await _converse(
                settings, sessions, app, send_what_is_due, t, stdin, stdout, interactive
            )
        finally:
            background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await background


async def _converse(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    app: App,
    send_what_is_due: Callable[[], Awaitable[None]],
    t: Translator,
    stdin: TextIO,
    stdout: TextIO,
    interactive: bool,
) -> None:
    wiped = False
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        text = line.rstrip("\n")
        if not text.strip():
            continue
        if wiped and text.strip().lower() == "/start":
            async with transaction(sessions) as session:
                await demo.start_again(session, settings, utcnow())
            wiped = False
            stdout.write("🤖 " + t._("Đã bắt đầu lại với sổ trống. Thử gõ: bán heo 3 triệu") + "\n")
            continue
        update = Update(uuid.uuid4().hex, Incoming(demo.CHANNEL, demo.ADDRESS, text=text))
        for inbound_id, _ in await record_batch(sessions, [update]):
            await app.process_with_retry(inbound_id)
        await send_what_is_due()
        async with sessions() as session:
            wiped = not await demo.linked(session)
        if wiped:
            # /xoadulieu unlinked the demo chat: no invite code can bring it back.
            stdout.write(
                "🤖 " + t._("(Demo) Gõ /start để bắt đầu lại với sổ trống, Ctrl-D để thoát.") + "\n"
            )
