"""``sinhke db``: bring a database to the schema the code needs."""

from __future__ import annotations

import typer
from alembic import command

from bot.cli.common import run, state
from bot.db import alembic_config, create_engine, current_revision, head_revision


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade")
    def upgrade(revision: str = typer.Argument("head")) -> None:
        """Bring the database to REVISION (default: the newest)."""
        settings = state.settings()
        run(_check_reachable(settings.database.url))
        command.upgrade(alembic_config(settings.database.url), revision)
        typer.echo(f"database at {revision}")

    @db.command("downgrade")
    def downgrade(revision: str = typer.Argument(..., help="e.g. -1 or base")) -> None:
        """Step the schema back (for developers; data in dropped tables is lost)."""
        settings = state.settings()
        command.downgrade(alembic_config(settings.database.url), revision)
        typer.echo(f"database at {revision}")

    @db.command("current")
    def current() -> None:
        """Show the database's revision and the code's."""
        settings = state.settings()
        revision = run(_check_reachable(settings.database.url))
        typer.echo(f"database: {revision or 'empty'}  code: {head_revision()}")


async def _check_reachable(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return await current_revision(engine)
    finally:
        await engine.dispose()
