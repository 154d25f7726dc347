"""The ``sinhke`` command (also ``python -m bot``)."""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.main

from bot.cli.common import UserError, state
from bot.config import ConfigError
from bot.db import DatabaseError
from bot.services.people.registry import RegistryError

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
        access,
        admin,
        alerts,
        broadcast,
        content,
        db,
        demo,
        export,
        groups,
        meeting,
        ops,
        parse,
        plans,
        reminders,
        report,
        run,
        web,
    )

    for module in (
        db,
        admin,
        access,
        demo,
        parse,
        export,
        content,
        alerts,
        broadcast,
        meeting,
        groups,
        plans,
        reminders,
        report,
        run,
        web,
        ops,
    ):
        module.register(app)


def _plain_help(command: Any) -> None:
    """Help without typer's type labels (``<str>``, ``<bool>``, ``<int>``): a flag and an
    argument show none, an option with a value is named after itself (``--file FILE``)."""
    for param in command.params:
        if param.param_type_name == "option" and not param.is_flag:
            param.metavar = param.metavar or max(param.opts, key=len).lstrip("-").upper()
        else:
            _untyped(param)
    help_option = command.get_help_option
    command.get_help_option = lambda ctx: _untyped(help_option(ctx))
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


def _untyped(param: Any) -> Any:
    if param is not None:
        param.display_type_rich = lambda ctx: None
    return param


def main() -> None:
    _register()
    command = typer.main.get_command(app)
    _plain_help(command)
    try:
        command(prog_name="sinhke")
    except (ConfigError, DatabaseError, RegistryError, UserError) as exc:
        print(f"sinhke: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
