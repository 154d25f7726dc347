"""``sinhke area|officer|household``: the programme's people and places."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import select

from bot.cli.common import UserError, database, print_json, run, state
from bot.cli.invites import add_to as add_invites
from bot.cli.listing import add_to as add_listings
from bot.config import Settings
from bot.db import transaction
from bot.services.people import roster
from bot.services.people.access import Removed, remove_officer
from bot.services.people.registry import Created, add_area, add_household, add_officer, issue_invite
from models import Household, utcnow


def _show(created: Created, kind: str, as_json: bool) -> None:
    if as_json:
        print_json(
            {"id": created.id, "code": created.code, "invite": created.invite, "name": created.name}
        )
    else:
        typer.echo(f"{kind} {created.code} ({created.name}) — invite code: {created.invite}")


def register(app: typer.Typer) -> None:
    area_app = typer.Typer(help="Areas: province, commune, hamlet.", no_args_is_help=True)
    officer_app = typer.Typer(help="Programme officers.", no_args_is_help=True)
    household_app = typer.Typer(help="Households of the programme.", no_args_is_help=True)
    app.add_typer(area_app, name="area")
    app.add_typer(officer_app, name="officer")
    app.add_typer(household_app, name="household")
    add_invites(household_app)
    add_listings(area_app, officer_app, household_app)

    @area_app.command("add")
    def area_add(
        code: str = typer.Option(..., help="Official code, e.g. 29059"),
        name: str = typer.Option(...),
        kind: str = typer.Option(..., help="province, commune or hamlet"),
        parent: str = typer.Option(None, help="The parent area's code"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Add an area."""

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                area = await add_area(session, code=code, name=name, kind=kind, parent=parent)
                if as_json:
                    print_json({"id": area.id, "code": area.code, "name": area.name})
                else:
                    typer.echo(f"area {area.code} ({area.name}, {area.kind})")

        run(go(state.settings()))

    @officer_app.command("add")
    def officer_add(
        name: str = typer.Option(...),
        area: str = typer.Option(..., help="Area code"),
        role: str = typer.Option("officer", help="officer or admin"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Add an officer and print a one-time invite code."""

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                created = await add_officer(
                    session,
                    name=name,
                    area=area,
                    role=role,
                    now=utcnow(),
                    ttl_days=settings.invites.ttl_days,
                    secret=settings.invites.secret.get_secret_value(),
                )
            _show(created, "officer", as_json)

        run(go(state.settings()))

    @officer_app.command("remove")
    def officer_remove(
        code: str = typer.Argument(..., help="The officer's code, e.g. CB00003"),
    ) -> None:
        """Take an officer's access away: their chats are unlinked, their unused invite
        cancelled, their households left to the area's admins (audited)."""

        async def go(settings: Settings) -> Removed:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                return await remove_officer(session, code, actor="cli")

        removed = run(go(state.settings()))
        typer.echo(
            f"officer {removed.code} ({removed.name}) removed: {removed.chats} chat(s) unlinked, "
            f"{removed.households} household(s) without an officer"
        )

    @household_app.command("add")
    def household_add(
        name: str = typer.Option(..., help="The head of household's name"),
        members: int = typer.Option(..., help="People living in the household"),
        area: str = typer.Option(..., help="Area code"),
        status: str = typer.Option("poor", help="poor, near_poor or escaped"),
        urban: bool = typer.Option(False, "--urban", help="Urban poverty line applies"),
        officer: str = typer.Option(None, help="Officer code (default: the area's officer)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Add a household and print a one-time invite code."""

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                created = await add_household(
                    session,
                    name=name,
                    members=members,
                    area=area,
                    status=status,
                    urban=urban,
                    officer=officer,
                    now=utcnow(),
                    ttl_days=settings.invites.ttl_days,
                    secret=settings.invites.secret.get_secret_value(),
                )
            _show(created, "household", as_json)

        run(go(state.settings()))

    @household_app.command("invite")
    def household_invite(
        code: str = typer.Argument(..., help="The household's code, e.g. HO00012"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """A new one-time invite for a household (a second phone, or Zalo beside Telegram)."""

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                household = await session.scalar(select(Household).where(Household.code == code))
                if household is None:
                    raise UserError(f"no household with code {code!r}")
                invite = await issue_invite(
                    session,
                    household.id,
                    utcnow(),
                    settings.invites.ttl_days,
                    secret=settings.invites.secret.get_secret_value(),
                )
            _show(
                Created(household.id, household.code, invite, household.head_name),
                "household",
                as_json,
            )

        run(go(state.settings()))

    @household_app.command("import")
    def household_import(
        file: Path = typer.Argument(..., exists=False, help="A CSV or XLSX roster"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Import a roster; a bad row stops the import and nothing is added."""
        if not file.exists():
            raise UserError(f"{file}: file not found")

        async def go(settings: Settings) -> list[Created]:
            rows = roster.read(file)
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                return await roster.import_rows(
                    session,
                    rows,
                    source=file,
                    now=utcnow(),
                    ttl_days=settings.invites.ttl_days,
                    secret=settings.invites.secret.get_secret_value(),
                )

        created = run(go(state.settings()))
        for item in created:
            _show(item, "household", as_json)
        if not as_json:
            noun = "household" if len(created) == 1 else "households"
            typer.echo(f"{len(created)} {noun} imported")
