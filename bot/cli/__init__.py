"""The ``sinhke`` command (also ``python -m bot``)."""

from __future__ import annotations

import sys

import typer

from bot.cli.common import UserError, state
from bot.config import ConfigError
from bot.db import DatabaseError
from bot.services.registry import RegistryError

app = typer.Typer(
    name="sinhke",
    help="Sinh kế bot: the household diary and programme assistant.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _global(
    config: str = typer.Option(
        None, "--config", help="Config file (default: $SINHKE_CONFIG, else ./config.toml)."
    ),
) -> None:
    state.config = config


def _register() -> None:
    # Imported here so each command module can import `app` helpers without cycles.
    from bot.cli import (
        admin,
        alerts,
        broadcast,
        content,
        db,
        demo,
        export,
        meeting,
        parse,
        plans,
        reminders,
        report,
        run,
    )

    for module in (
        db,
        admin,
        demo,
        parse,
        export,
        content,
        alerts,
        broadcast,
        meeting,
        plans,
        reminders,
        report,
        run,
    ):
        module.register(app)


def main() -> None:
    _register()
    try:
        app()
    except (ConfigError, DatabaseError, RegistryError, UserError) as exc:
        print(f"sinhke: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
