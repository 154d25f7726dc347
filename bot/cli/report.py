"""``sinhke report monthly``: an area's monthly report as an Excel workbook."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, datetime
from pathlib import Path

import typer
from rich.console import Console

from bot.cli import plans
from bot.cli.common import UserError, database, run, state
from bot.config import Settings
from bot.db import transaction
from bot.plans.plans import report_plans
from bot.services.people.audit import audit
from bot.services.reports.reports import MonthlyReport, monthly_report
from models import utcnow


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(help="Reports of an area.", no_args_is_help=True)
    app.add_typer(report_app, name="report")
    plans.register_report(report_app)

    @report_app.command("monthly")
    def monthly(
        area: str = typer.Option(..., help="Area code (the areas below it are included)"),
        month: str = typer.Option(..., help="YYYY-MM"),
        out: Path = typer.Option(..., help="The workbook to write (.xlsx)"),
        locale: str = typer.Option("vi", help="Language of the workbook: vi or en"),
    ) -> None:
        """The month's figures of an area and the areas below it, one row per household."""
        first = parse_month(month)
        if out.suffix.lower() != ".xlsx":
            raise UserError(f"--out {out}: the report is a workbook, name it *.xlsx")
        if locale not in ("vi", "en"):
            raise UserError(f"--locale {locale!r}: use vi or en")

        from bot.services.rendering.report_book import to_xlsx  # openpyxl: only for this command

        async def go(settings: Settings) -> MonthlyReport:
            console = Console(stderr=True)
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                with _status(console, f"Computing the report of {area} for {month}…"):
                    report = await monthly_report(
                        session, area_code=area, month=first, settings=settings
                    )
                with _status(console, f"Writing {out}…"):
                    plans = await report_plans(
                        session, area_code=area, month=first, settings=settings, now=utcnow()
                    )
                    write_output(out, to_xlsx(report, locale=locale, plans=plans))
                await audit(session, "cli", "report.monthly", area=area, month=month)
            return report

        report = run(go(state.settings()))
        summary = report.summary
        typer.echo(
            f"{out}: {summary.name} ({summary.code}) {month}: households {summary.households}, "
            f"writing {summary.writing}, areas below {len(report.areas)}"
        )


def parse_month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise UserError(f"--month {text!r}: use YYYY-MM, e.g. 2026-11") from None


@contextmanager
def _status(console: Console, message: str) -> Iterator[None]:
    """A spinner on stderr while the work runs, when stderr is a terminal."""
    with console.status(message) if console.is_terminal else nullcontext():
        yield


def write_output(out: Path, data: bytes) -> None:
    """Write a file the operator asked for; a failure is one line."""
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"{out}: cannot write: {exc.strerror}") from None
