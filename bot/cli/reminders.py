"""``sinhke reminders run``: one tick of every scheduled job, as of a given time."""

from __future__ import annotations

import typer

from bot.cli.alerts import parse_now
from bot.cli.common import database, run, state
from bot.config import Settings
from bot.scheduler import run_tick
from bot.services.reminders import ticks


def register(app: typer.Typer) -> None:
    reminders_app = typer.Typer(help="Reminders and scheduled ticks.", no_args_is_help=True)
    app.add_typer(reminders_app, name="reminders")

    @reminders_app.command("run")
    def run_command(
        now: str = typer.Option(None, "--now", help="Run as of this ISO time (default: now)"),
    ) -> None:
        """Queue what is due: reminders; at the digest time the alert scan and digests; on
        the report's due day the monthly reports.  Safe to repeat: nothing goes twice."""
        moment = parse_now(now)

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions):
                for name, job in (
                    ("reminders", ticks.tick),
                    ("alerts and digest", ticks.daily),
                    ("monthly report", ticks.monthly),
                ):
                    result = await run_tick(name, job, sessions, settings, lambda: moment)
                    typer.echo(f"{name}: {result.describe()}")

        run(go(state.settings()))
