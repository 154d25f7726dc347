"""``sinhke alerts scan``: run the alert rules now (the scheduler runs them daily)."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from bot.cli.common import UserError, database, run, state
from bot.config import Settings
from bot.db import transaction
from bot.services.alerts import alerts


def parse_now(text: str | None, option: str = "--now") -> datetime:
    """``--now`` (or ``option``) as an aware time (naive ISO times are read in UTC)."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r}: use ISO 8601, e.g. 2026-11-29T07:00+07:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register(app: typer.Typer) -> None:
    alerts_app = typer.Typer(help="Alerts for officers.", no_args_is_help=True)
    app.add_typer(alerts_app, name="alerts")

    @alerts_app.command("scan")
    def scan(now: str = typer.Option(None, "--now", help="Scan as of this ISO time")) -> None:
        """Raise new alerts, close cleared ones, escalate unacknowledged ones."""
        moment = parse_now(now)

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                result = await alerts.scan(session, settings, moment)
            typer.echo(
                f"{len(result.raised)} raised, {result.resolved} resolved, "
                f"{result.escalated} escalated"
            )

        run(go(state.settings()))
