"""``sinhke contact unlink``: cut a lost or stolen phone off its household or officer."""

from __future__ import annotations

import typer
from sqlalchemy import select

from bot.cli.common import database, run, state
from bot.config import Settings
from bot.db import transaction
from bot.services.people.access import unlink_chat
from models import Household, Officer


def register(app: typer.Typer) -> None:
    contact_app = typer.Typer(help="Chat accounts linked to households and officers.")
    app.add_typer(contact_app, name="contact")

    @contact_app.command("unlink")
    def contact_unlink(
        channel: str = typer.Argument(..., help="telegram or zalo"),
        address: str = typer.Argument(..., help="The chat's id on that platform"),
    ) -> None:
        """Unlink one chat account (a lost phone); the household's diary stays (audited)."""

        async def go(settings: Settings) -> str:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                contact = await unlink_chat(session, channel, address, actor="cli")
                if contact.household_id is not None:
                    code = await session.scalar(
                        select(Household.code).where(Household.id == contact.household_id)
                    )
                    return f"household {code}"
                code = await session.scalar(
                    select(Officer.code).where(Officer.id == contact.officer_id)
                )
                return f"officer {code}"

        owner = run(go(state.settings()))
        typer.echo(f"{channel} chat {address} unlinked from {owner}; it is a stranger again")
