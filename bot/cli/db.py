"""``sinhke db``: bring a database to the schema the code needs."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from alembic import command
from sqlalchemy.engine import make_url

from bot.cli.common import UserError, run, state
from bot.config import ENV_CONFIG, config_path
from bot.db import alembic_config, create_engine, current_revision, head_revision, is_sqlite


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade")
    def upgrade(
        revision: str = typer.Argument("head"),
        yes: bool = typer.Option(
            False, "--yes", help="Create a new SQLite file even outside the config's folder"
        ),
    ) -> None:
        """Bring the database to REVISION (default: the newest)."""
        settings = state.settings()
        url = settings.database.url
        if not yes:
            _refuse_a_surprising_new_file(url)
        typer.echo(f"database: {describe(url)}")
        run(_check_reachable(url))
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


def describe(url: str) -> str:
    """The database in words: a SQLite file's full path, else the URL without password."""
    parsed = make_url(url)
    if is_sqlite(url) and parsed.database:
        return f"SQLite file {Path(parsed.database).resolve()}"
    return parsed.render_as_string(hide_password=True)


def _refuse_a_surprising_new_file(url: str) -> None:
    """A relative SQLite path is read from the current folder: run from anywhere but the
    deployment's own folder, it would quietly start a new, empty database there."""
    database = make_url(url).database if is_sqlite(url) else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.is_absolute() or path.exists():
        return
    explicit = Path(state.config) if state.config else None
    config = config_path(explicit)
    named = explicit is not None or bool(os.environ.get(ENV_CONFIG))
    beside_config = (named or config.exists()) and config.resolve().parent == Path.cwd()
    if not beside_config:
        raise UserError(
            f"no database at {path.resolve()} ([database] url {database!r} is read from "
            "the current folder); run from the deployment's folder, name the database with "
            "an absolute path, or pass --yes to create it here"
        )


async def _check_reachable(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return await current_revision(engine)
    finally:
        await engine.dispose()
