"""``sinhke run``: every configured channel, the sender and the scheduler."""

from __future__ import annotations

import typer

from bot.cli.common import UserError


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_command() -> None:
        """Run the bot on the configured channels until stopped (SIGTERM or Ctrl-C)."""
        raise UserError("no channel configured yet: set [telegram] token in config.toml")
