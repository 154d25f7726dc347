"""``sinhke check``, ``sinhke backup`` and ``sinhke restore``: running a deployment."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from sqlalchemy import func, select

from bot.cli.common import UserError, database, run, state
from bot.config import ENV_CONFIG, Settings, config_path
from bot.db import DatabaseError, create_engine, current_revision, head_revision
from bot.ops.backup import BackupError, backup, restore
from bot.ops.check import check_all
from models import Household


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_command() -> None:
        """Check config, database, migrations, channels and scheduler (exit 1 if wrong)."""
        explicit = Path(state.config) if state.config else None
        path = config_path(explicit)
        required = explicit is not None or bool(os.environ.get(ENV_CONFIG))

        async def go() -> bool:
            healthy = True
            async for finding in check_all(path, required=required):
                typer.echo(finding.line())
                healthy &= finding.ok
            return healthy

        if not run(go()):
            raise typer.Exit(1)

    @app.command("backup")
    def backup_command(
        out: Path = typer.Option(..., "--out", help="The backup file to write"),
    ) -> None:
        """Copy the whole database to a file (SQLite: online backup; PostgreSQL: pg_dump)."""
        settings = state.settings()
        try:
            typer.echo(backup(settings.database.url, out))
        except BackupError as exc:
            raise UserError(str(exc)) from None

    @app.command("restore")
    def restore_command(
        file: Path = typer.Argument(..., help="A file written by `sinhke backup`"),
        force: bool = typer.Option(
            False, "--force", help="Replace a database that has households in it"
        ),
    ) -> None:
        """Replace the database with a backup.  Stop the bot first."""
        settings = state.settings()
        households = run(_households(settings))
        if households and not force:
            raise UserError(
                f"the database holds {households} households and a restore replaces all of "
                "it: stop the bot, then run again with --force"
            )
        try:
            typer.echo(restore(settings.database.url, file))
        except BackupError as exc:
            raise UserError(str(exc)) from None
        revision = run(_revision(settings))
        if revision != head_revision():
            typer.echo(
                f"the backup is at revision {revision}, the code needs {head_revision()}: "
                "run `sinhke db upgrade` before `sinhke run`"
            )


async def _households(settings: Settings) -> int:
    """Households in the database; 0 when it is empty or has no schema yet."""
    try:
        async with database(settings, check_head=False) as (engine, sessions):
            if await current_revision(engine) is None:
                return 0
            async with sessions() as session:
                return int(await session.scalar(select(func.count(Household.id))) or 0)
    except DatabaseError:
        return 0


async def _revision(settings: Settings) -> str | None:
    engine = create_engine(settings.database.url)
    try:
        return await current_revision(engine)
    finally:
        await engine.dispose()
