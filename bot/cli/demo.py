"""``sinhke demo``: the bot in the terminal, on its own SQLite file, no token, no network."""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path
from typing import TextIO

import typer
from alembic import command

from bot.channels.console import ADDRESS, ConsoleChannel
from bot.cli.common import database, run, state
from bot.config import Settings
from bot.core.contract import Incoming
from bot.core.inbound import Update, record_batch
from bot.db import alembic_config, transaction
from bot.i18n import translator
from bot.services import demo
from models import utcnow

DEMO_DATABASE = "sqlite+aiosqlite:///data/demo.db"


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
        if interactive:
            t = translator(settings.programme.default_locale)
            stdout.write(
                t._(
                    "Sổ nhật ký (demo) — hộ Nguyễn Văn Ba. Thử gõ: bán heo 3 triệu, /thang, "
                    "/huongdan. Ctrl-D để thoát."
                )
                + "\n"
            )
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
            update = Update(uuid.uuid4().hex, Incoming("console", ADDRESS, text=text))
            for inbound_id, _ in await record_batch(sessions, [update]):
                await app.process_with_retry(inbound_id)
            while await sender.send_due():
                pass
