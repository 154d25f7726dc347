"""``sinhke activity|plan`` and ``sinhke report models``: livelihood activities, each
household's plan out of poverty, and the evidence of which activities pay."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import UserError, database, print_json, run, state
from bot.config import Settings
from bot.db import transaction
from bot.plans import catalogue as catalogues
from bot.plans import status
from bot.plans.evidence import EvidenceError, ModelsReport, models_report
from bot.plans.plans import RESOURCES, PlanError, parse_milestone, progress, set_plan
from bot.plans.review import Review, annual_review
from bot.services.people.audit import audit
from models import Household, utcnow

_RESOURCE_HELP = f"A resource to connect: {', '.join(RESOURCES)}; repeat"


def _month(text: str, option: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise UserError(f"{option} {text!r}: use YYYY-MM, e.g. 2027-12") from None


def _today(settings: Settings, as_of: str | None) -> date:
    if as_of:
        try:
            return date.fromisoformat(as_of)
        except ValueError:
            raise UserError(f"--as-of {as_of!r}: use YYYY-MM-DD") from None
    return utcnow().astimezone(ZoneInfo(settings.programme.timezone)).date()


def _catalogue() -> catalogues.Catalogue:
    try:
        return catalogues.default()
    except catalogues.CatalogueError as exc:
        raise UserError(str(exc)) from None


def _activity_codes(catalogue: catalogues.Catalogue, names: list[str]) -> list[str]:
    codes = []
    for name in names:
        activity = catalogue.find(name)
        if activity is None:
            raise UserError(f"--activity {name!r}: no such activity (see: sinhke activity list)")
        codes.append(activity.code)
    return codes


async def _household(session: AsyncSession, code: str) -> Household:
    household = await session.scalar(select(Household).where(Household.code == code.upper()))
    if household is None:
        raise UserError(f"no household with code {code!r}")
    return household


def register(app: typer.Typer) -> None:
    activity_app = typer.Typer(
        help="Livelihood activities (mô hình sinh kế).", no_args_is_help=True
    )
    plan_app = typer.Typer(help="Households' plans out of poverty.", no_args_is_help=True)
    app.add_typer(activity_app, name="activity")
    app.add_typer(plan_app, name="plan")

    @activity_app.command("list")
    def activity_list(as_json: bool = typer.Option(False, "--json")) -> None:
        """The activity catalogue (bot/plans/activities.toml): code and names."""
        catalogue = _catalogue()
        if as_json:
            print_json(
                {
                    "activities": [
                        {
                            "code": a.code,
                            "vi": a.vi,
                            "en": a.en,
                            "categories": sorted(a.categories | a.whole),
                        }
                        for a in catalogue.activities
                    ]
                }
            )
            return
        for activity in catalogue.activities:
            typer.echo(f"{activity.code:<16} {activity.vi} ({activity.en})")

    @plan_app.command("set")
    def plan_set(
        code: str = typer.Argument(..., help="The household's code"),
        activity: list[str] = typer.Option(..., help="An activity's code or name; repeat"),
        target_date: str = typer.Option(
            None, help="YYYY-MM: income per person above the poverty line by then"
        ),
        milestone: list[str] = typer.Option(
            None, help='"YYYY-MM-DD text" (or "YYYY-MM text"); repeat; replaces the old ones'
        ),
        resource: list[str] = typer.Option(None, help=_RESOURCE_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Make or change a household's plan."""
        catalogue = _catalogue()
        codes = _activity_codes(catalogue, activity)
        target = _month(target_date, "--target-date") if target_date else None
        try:
            steps = [parse_milestone(text) for text in milestone] if milestone else None
        except PlanError as exc:
            raise UserError(f"--milestone {exc}") from None

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                household = await _household(session, code)
                try:
                    plan = await set_plan(
                        session,
                        household,
                        activities=codes,
                        catalogue=catalogue,
                        author="cli",
                        now=utcnow(),
                        target_month=target,
                        milestones=steps,
                        resources=resource or None,
                    )
                except PlanError as exc:
                    raise UserError(str(exc)) from None
                await audit(session, "cli", "plan.set", household_id=household.id)
                if as_json:
                    print_json({"household": household.code, "plan": plan.id})
                else:
                    typer.echo(f"plan of {household.code}: {', '.join(codes)}")

        run(go(state.settings()))

    @plan_app.command("show")
    def plan_show(
        code: str = typer.Argument(..., help="The household's code"),
        as_json: bool = typer.Option(False, "--json"),
        as_of: str = typer.Option(None, help="YYYY-MM-DD: the plan as of that day"),
        locale: str = typer.Option("vi", help="Language of the names: vi or en"),
    ) -> None:
        """A household's plan and its progress: each activity's money in, money out and
        profit so far, income per person against the target, months behind or ahead."""
        catalogue = _catalogue()

        async def go(settings: Settings) -> None:
            today = _today(settings, as_of)
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                household = await _household(session, code)
                view = await progress(
                    session,
                    household,
                    catalogue=catalogue,
                    lines=settings.programme.poverty_lines,
                    today=today,
                    locale=locale,
                )
                await audit(session, "cli", "plan.view", household_id=household.id)
            if view is None:
                raise UserError(f"{household.code} has no plan yet (sinhke plan set)")
            if as_json:
                print_json(view.as_json())
                return
            typer.echo(f"{household.code} {household.head_name}")
            for item in view.activities:
                money = item.money
                typer.echo(
                    f"  {item.name}: in {money.money_in:,} out {money.money_out:,} "
                    f"profit {money.profit:,}"
                )
            target = view.target_month.strftime("%Y-%m") if view.target_month else "-"
            typer.echo(
                f"  per person {view.per_person:,}/month, line {view.line:,} "
                f"({view.progress_percent}%), target {target}, "
                f"behind {view.months_behind}, ahead {view.months_ahead}"
            )
            for step in view.milestones:
                typer.echo(f"  {step.due_on.isoformat()} [{step.state}] {step.text}")

        run(go(state.settings()))

    @plan_app.command("status")
    def plan_status(
        code: str = typer.Argument(..., help="The household's code"),
        new_status: str = typer.Argument(..., help="poor, near_poor or escaped"),
        on: str = typer.Option(None, help="YYYY-MM-DD the change took effect (default today)"),
        by: str = typer.Option("cli", help="Who decided it (e.g. the review board)"),
    ) -> None:
        """Change a household's status; the change is kept in its history."""

        async def go(settings: Settings) -> None:
            day = _today(settings, on)
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                household = await _household(session, code)
                try:
                    change = await status.change_status(
                        session, household, new_status, on=day, author=by, now=utcnow()
                    )
                except status.StatusError as exc:
                    raise UserError(str(exc)) from None
                await audit(
                    session,
                    "cli",
                    "household.status",
                    household_id=household.id,
                    old=change.old,
                    new=change.new,
                    on=day.isoformat(),
                )
            typer.echo(f"{household.code}: {change.old} → {change.new} on {day.isoformat()}")

        run(go(state.settings()))

    @plan_app.command("history")
    def plan_history(
        code: str = typer.Argument(..., help="The household's code"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """A household's status history, and whether its escape from poverty lasted."""

        async def go(settings: Settings) -> None:
            today = _today(settings, None)
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                household = await _household(session, code)
                changes = (await status.histories(session, [household.id])).get(household.id, [])
                await audit(session, "cli", "household.history", household_id=household.id)
            escaped = status.escaped_on(changes, date.min, today)
            lasting = None if escaped is None else status.sustained(changes, escaped, today)
            if as_json:
                print_json(
                    {
                        "household": household.code,
                        "status": household.status,
                        "changes": [
                            {"from": c.old, "to": c.new, "on": c.on.isoformat(), "by": c.author}
                            for c in changes
                        ],
                        "escaped_on": escaped.isoformat() if escaped else None,
                        "escaped_sustainably": lasting,
                    }
                )
                return
            for change in changes:
                typer.echo(f"{change.on.isoformat()} {change.old} → {change.new} ({change.author})")
            typer.echo(f"now {household.status}; escaped sustainably: {lasting}")

        run(go(state.settings()))


def register_report(report_app: typer.Typer) -> None:
    """``sinhke report models``, beside the other reports."""

    @report_app.command("models")
    def models(
        area: str = typer.Option(..., help="Area code (the areas below it are included)"),
        start: str = typer.Option(None, "--from", help="YYYY-MM (default: 12 months to --to)"),
        end: str = typer.Option(None, "--to", help="YYYY-MM (default: last month)"),
        out: Path = typer.Option(None, help="The workbook to write (.xlsx)"),
        as_json: bool = typer.Option(False, "--json"),
        locale: str = typer.Option("vi", help="Language: vi or en"),
    ) -> None:
        """Which livelihood activities pay: per activity, households, profit per month and
        per đồng spent (median and quartiles), share above the poverty line."""
        if out is None and not as_json:
            raise UserError("give --out FILE.xlsx or --json")
        if out is not None and out.suffix.lower() != ".xlsx":
            raise UserError(f"--out {out}: the report is a workbook, name it *.xlsx")
        if locale not in ("vi", "en"):
            raise UserError(f"--locale {locale!r}: use vi or en")
        catalogue = _catalogue()

        async def go(settings: Settings) -> ModelsReport:
            today = _today(settings, None)
            last = _month(end, "--to") if end else _previous_month(today)
            first = _month(start, "--from") if start else _months_before(last, 11)
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                try:
                    report = await models_report(
                        session,
                        area_code=area,
                        start=first,
                        end=last,
                        catalogue=catalogue,
                        lines=settings.programme.poverty_lines,
                        today=today,
                        locale=locale,
                    )
                except EvidenceError as exc:
                    raise UserError(str(exc)) from None
                await audit(
                    session,
                    "cli",
                    "report.models",
                    area=area,
                    start=f"{first:%Y-%m}",
                    end=f"{last:%Y-%m}",
                )
            return report

        report = run(go(state.settings()))
        if out is not None:
            from bot.cli.report import write_output
            from bot.plans.workbook import models_xlsx  # openpyxl: only for this command

            write_output(out, models_xlsx(report, locale=locale))
        if as_json:
            print_json(report.as_json())
        else:
            typer.echo(
                f"{out}: {report.area_name} ({report.area}) "
                f"{report.start:%Y-%m}..{report.end:%Y-%m}: {len(report.activities)} activities"
            )

    @report_app.command("review")
    def review(
        area: str = typer.Option(..., help="Area code (the areas below it are included)"),
        year: int = typer.Option(..., help="The year reviewed, e.g. 2026"),
        out: Path = typer.Option(None, help="The workbook to write (.xlsx)"),
        as_json: bool = typer.Option(False, "--json"),
        locale: str = typer.Option("vi", help="Language: vi or en"),
    ) -> None:
        """The annual review sheet: each household's diary income per person over the
        year beside the poverty line, for the officer to confirm."""
        if out is None and not as_json:
            raise UserError("give --out FILE.xlsx or --json")
        if out is not None and out.suffix.lower() != ".xlsx":
            raise UserError(f"--out {out}: the sheet is a workbook, name it *.xlsx")

        async def go(settings: Settings) -> Review:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                try:
                    found = await annual_review(
                        session,
                        area_code=area,
                        year=year,
                        lines=settings.programme.poverty_lines,
                    )
                except EvidenceError as exc:
                    raise UserError(str(exc)) from None
                await audit(session, "cli", "report.review", area=area, year=year)
            return found

        found = run(go(state.settings()))
        if out is not None:
            from bot.cli.report import write_output
            from bot.plans.workbook import review_xlsx

            write_output(out, review_xlsx(found, locale=locale))
        if as_json:
            print_json(
                {
                    "area": found.area,
                    "year": found.year,
                    "decree": found.line.decree,
                    "households": [row.as_json() for row in found.rows],
                }
            )
        else:
            typer.echo(
                f"{out}: {found.area_name} ({found.area}) {year}: {len(found.rows)} households"
            )


def _previous_month(today: date) -> date:
    return _months_before(today.replace(day=1), 1)


def _months_before(month: date, count: int) -> date:
    year, index = divmod(month.year * 12 + month.month - 1 - count, 12)
    return date(year, index + 1, 1)
