"""``sinhke area list``, ``sinhke officer list``, ``sinhke household list``: who and what is
in the database, as a table or as JSON lines.

The groups are created in :mod:`bot.cli.admin`, which calls :func:`add_to`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from bot.cli.common import database, print_json, run, state
from bot.config import Settings
from bot.services.people.people import descendant_area_ids
from bot.services.people.registry import area_by_code
from models import Area, Contact, Household, Officer


def _print(rows: Sequence[dict[str, Any]], as_json: bool, columns: Sequence[str]) -> None:
    if as_json:
        for row in rows:
            print_json(row)
        return
    if not rows:
        typer.echo("(none)")
        return
    table = [[str(row[c]) if row[c] is not None else "" for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
    for line in ([*columns], *table):
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def _joined() -> Any:
    """Per household: its chat accounts that agreed (joined)."""
    return (
        select(func.count(Contact.id))
        .where(Contact.household_id == Household.id, Contact.consent_at.is_not(None))
        .scalar_subquery()
    )


async def _rows(settings: Settings, query: Select[Any]) -> list[dict[str, Any]]:
    async with database(settings) as (_, sessions), sessions() as session:
        return [dict(row._mapping) for row in await session.execute(query)]


def add_to(area_app: typer.Typer, officer_app: typer.Typer, household_app: typer.Typer) -> None:
    @area_app.command("list")
    def area_list(as_json: bool = typer.Option(False, "--json")) -> None:
        """List the areas with their parent and households."""
        parent = aliased(Area)
        households = (
            select(func.count(Household.id)).where(Household.area_id == Area.id).scalar_subquery()
        )
        query = (
            select(
                Area.code,
                Area.name,
                Area.kind,
                parent.code.label("parent"),
                households.label("households"),
            )
            .outerjoin(parent, Area.parent_id == parent.id)
            .order_by(Area.code)
        )
        rows = run(_rows(state.settings(), query))
        _print(rows, as_json, ("code", "name", "kind", "parent", "households"))

    @officer_app.command("list")
    def officer_list(as_json: bool = typer.Option(False, "--json")) -> None:
        """List the officers, their area and whether they joined in chat."""
        joined = (
            select(func.count(Contact.id))
            .where(Contact.officer_id == Officer.id, Contact.consent_at.is_not(None))
            .scalar_subquery()
        )
        query = (
            select(
                Officer.code,
                Officer.name,
                Officer.role,
                Area.code.label("area"),
                joined.label("chats"),
            )
            .join(Area, Officer.area_id == Area.id)
            .order_by(Officer.code)
        )
        rows = run(_rows(state.settings(), query))
        _print(rows, as_json, ("code", "name", "role", "area", "chats"))

    @household_app.command("list")
    def household_list(
        area: str = typer.Option(None, help="Only this area's (and the areas below it)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """List the households: code, name, members, area, status, officer, chats joined."""

        async def go(settings: Settings) -> list[dict[str, Any]]:
            query = (
                select(
                    Household.code,
                    Household.head_name.label("name"),
                    Household.members,
                    Area.code.label("area"),
                    Household.status,
                    Officer.code.label("officer"),
                    _joined().label("chats"),
                )
                .join(Area, Household.area_id == Area.id)
                .outerjoin(Officer, Household.officer_id == Officer.id)
                .order_by(Household.code)
            )
            async with database(settings) as (_, sessions), sessions() as session:
                if area is not None:
                    top = await area_by_code(session, area)
                    below = await descendant_area_ids(session, top.id)
                    query = query.where(Household.area_id.in_(below))
                return [dict(row._mapping) for row in await session.execute(query)]

        rows = run(go(state.settings()))
        _print(rows, as_json, ("code", "name", "members", "area", "status", "officer", "chats"))
