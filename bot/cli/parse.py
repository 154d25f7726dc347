"""``sinhke parse``: read diary messages from standard input, write JSON lines."""

from __future__ import annotations

import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import typer

from bot.cli.common import UserError, state


def register(app: typer.Typer) -> None:
    @app.command("parse")
    def parse(
        jsonl: bool = typer.Option(
            False, "--jsonl", help="Input is JSON objects with a text field."
        ),
        on: str = typer.Option(None, "--date", help="Read as of YYYY-MM-DD (default: today)."),
    ) -> None:
        """Read messages (one per line) and print what the diary would record, as JSON."""
        from bot.language.stream import parse_stream

        today = _today(on)
        parse_stream(sys.stdin, sys.stdout, today=today, jsonl=jsonl)


def _today(on: str | None) -> date:
    if on:
        try:
            return date.fromisoformat(on)
        except ValueError:
            raise UserError(f"--date {on!r}: use YYYY-MM-DD") from None
    try:
        zone = ZoneInfo(state.settings().programme.timezone)
    except Exception:
        zone = ZoneInfo("Asia/Ho_Chi_Minh")
    return datetime.now(zone).date()
