"""``sinhke group``: linkage groups (nhóm liên kết) of an area; households added are
invited in chat and join only if they agree."""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import UserError, database, print_json, run, state
from bot.config import Settings
from bot.db import transaction
from bot.groups import members
from bot.plans import catalogue as catalogues
from bot.services.people import people
from bot.services.people.audit import audit
from bot.services.people.registry import area_by_code
from models import Area, Household, LinkGroup, utcnow


async def _group(session: AsyncSession, group_id: int) -> LinkGroup:
    group = await session.get(LinkGroup, group_id)
    if group is None:
        raise UserError(f"no group {group_id}")
    return group


async def _households(session: AsyncSession, group: LinkGroup, codes: list[str]) -> list[Household]:
    found, unknown = await people.households_by_codes(session, group.area_id, codes)
    if unknown:
        raise UserError(f"not households of the group's area: {', '.join(unknown)}")
    return found


def register(app: typer.Typer) -> None:
    group_app = typer.Typer(help="Linkage groups (nhóm liên kết).", no_args_is_help=True)
    app.add_typer(group_app, name="group")

    @group_app.command("add")
    def add(
        area: str = typer.Option(..., help="Area code (its households and those below it)"),
        name: str = typer.Option(..., help="The group's name"),
        activity: str = typer.Option(None, help="The livelihood activity's code or name"),
        leader: str = typer.Option(None, help="The leader household's code (invited)"),
        meeting_day: int = typer.Option(None, help="Day of the month it meets, 1-28"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Make a group; its leader is invited to join at once."""
        code = None
        if activity:
            found = catalogues.default().find(activity)
            if found is None:
                raise UserError(f"--activity {activity!r}: no such activity (sinhke activity list)")
            code = found.code

        async def go(settings: Settings) -> LinkGroup:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                place = await area_by_code(session, area)
                head = None
                if leader:
                    head = await session.scalar(
                        select(Household).where(Household.code == leader.upper())
                    )
                    if head is None:
                        raise UserError(f"no household with code {leader!r}")
                try:
                    group = await members.create(
                        session,
                        area=place,
                        name=name,
                        activity=code,
                        catalogue=catalogues.default(),
                        leader=head,
                        meeting_day=meeting_day,
                        author="cli",
                        now=utcnow(),
                    )
                except members.GroupError as exc:
                    raise UserError(str(exc)) from None
                await audit(session, "cli", "group.create", group_id=group.id)
            return group

        group = run(go(state.settings()))
        if as_json:
            print_json(
                {"group": group.id, "name": group.name, "area": area, "activity": group.activity}
            )
        else:
            typer.echo(f"group {group.id}: {group.name}")

    @group_app.command("members")
    def change_members(
        group_id: int = typer.Argument(..., metavar="GROUP", help="The group's number"),
        add: list[str] = typer.Option(None, "--add", help="Household codes to invite"),
        remove: list[str] = typer.Option(None, "--remove", help="Household codes to remove"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Invite households (each is asked in chat) or take them out of the group."""
        if not add and not remove:
            raise UserError("give --add CODE or --remove CODE")

        async def go(settings: Settings) -> tuple[int, int]:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                group = await _group(session, group_id)
                invited = await members.invite(
                    session, group, await _households(session, group, add or []), now=utcnow()
                )
                removed = await members.remove(
                    session, group, await _households(session, group, remove or [])
                )
                await audit(
                    session, "cli", "group.members", group_id=group.id, add=add, remove=remove
                )
            return len(invited), removed

        invited, removed = run(go(state.settings()))
        if as_json:
            print_json({"group": group_id, "invited": invited, "removed": removed})
        else:
            typer.echo(f"group {group_id}: {invited} invited, {removed} removed")

    @group_app.command("list")
    def list_groups(
        area: str = typer.Option(None, help="Only this area's groups (and those below it)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """The groups with their members by state."""

        async def go(settings: Settings) -> list[dict[str, Any]]:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                query = select(LinkGroup, Area.code).join(Area, Area.id == LinkGroup.area_id)
                if area:
                    root = await area_by_code(session, area)
                    areas = await people.descendant_area_ids(session, root.id)
                    query = query.where(LinkGroup.area_id.in_(areas))
                rows = []
                for group, area_code in (
                    await session.execute(query.order_by(LinkGroup.id))
                ).tuples():
                    rows.append(
                        {
                            "group": group.id,
                            "name": group.name,
                            "area": area_code,
                            "activity": group.activity,
                            "meeting_day": group.meeting_day,
                            "members": await members.state_counts(session, group.id),
                        }
                    )
            return rows

        rows = run(go(state.settings()))
        if as_json:
            print_json({"groups": rows})
            return
        for row in rows:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(row["members"].items())) or "-"
            typer.echo(f"{row['group']:>4} {row['area']:<8} {row['name']} ({counts})")
