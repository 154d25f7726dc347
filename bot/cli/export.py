"""``sinhke export entries``: the diary as CSV or XLSX; ``sinhke export household``: all
that is kept about one household, as JSON."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer

from bot.cli.common import UserError, database, run, state
from bot.config import Settings
from bot.services.people.audit import audit
from bot.services.reports import export


def register(app: typer.Typer) -> None:
    export_app = typer.Typer(help="Export data.", no_args_is_help=True)
    app.add_typer(export_app, name="export")

    @export_app.command("entries")
    def entries(
        format: str = typer.Option("csv", "--format", help="csv or xlsx"),
        area: str = typer.Option(None, help="Area code (and the areas below it)"),
        household: str = typer.Option(None, help="Household code"),
        month: str = typer.Option(None, help="YYYY-MM"),
        out: Path = typer.Option(None, help="File to write (default: standard output)"),
    ) -> None:
        """Diary entries: household_code, date, kind, amount, category, text, recorded_at."""
        if format not in ("csv", "xlsx"):
            raise UserError("--format must be csv or xlsx")
        if format == "xlsx" and out is None:
            raise UserError("--format xlsx needs --out FILE")
        where = export.ExportFilter(area=area, household=household, month=_month(month))

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), sessions() as session:
                try:
                    data: str | bytes = await (
                        export.to_csv(session, where)
                        if format == "csv"
                        else export.to_xlsx(session, where)
                    )
                except ValueError as exc:
                    raise UserError(str(exc)) from None
                await audit(
                    session, "cli", "export.entries", area=area, household=household, month=month
                )
                await session.commit()
            if out is None:
                sys.stdout.write(str(data))
            elif isinstance(data, bytes):
                out.write_bytes(data)
            else:
                out.write_text(data, encoding="utf-8")

        run(go(state.settings()))

    @export_app.command("household")
    def household(
        code: str = typer.Argument(..., help="Household code"),
        out: Path = typer.Option(None, help="File to write (default: standard output)"),
    ) -> None:
        """Every row kept about a household (models/household_data.py), as JSON."""

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), sessions() as session:
                try:
                    data = export.household_json(await export.household_data(session, code))
                except ValueError as exc:
                    raise UserError(str(exc)) from None
                await audit(session, "cli", "export.household", household=code)
                await session.commit()
            if out is None:
                sys.stdout.write(data)
            else:
                out.write_text(data, encoding="utf-8")

        run(go(state.settings()))


def _month(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise UserError(f"--month {text!r}: use YYYY-MM") from None
