"""``sinhke meeting add``: call an area's monthly dialogue meeting and invite its households."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import typer

from bot.cli.common import UserError, database, run, state
from bot.config import Settings
from bot.db import transaction
from bot.services import meetings
from bot.services.people.audit import audit
from bot.services.people.registry import area_by_code, officer_by_code
from bot.services.reminders.timing import Timing
from models import utcnow


def register(app: typer.Typer) -> None:
    meeting_app = typer.Typer(help="Monthly dialogue meetings.", no_args_is_help=True)
    app.add_typer(meeting_app, name="meeting")

    @meeting_app.command("add")
    def add(
        area: str = typer.Option(..., help="Area code (the areas below it are invited too)"),
        at: str = typer.Option(
            ..., "--at", help="Start, ISO 8601; without an offset, the programme's local time"
        ),
        place: str = typer.Option(..., help="Where the meeting is held"),
        agenda: str = typer.Option("", help="What will be discussed"),
        officer: str = typer.Option(None, help="Code of the officer who calls it"),
    ) -> None:
        """Create the meeting and send the invitations to the joined households at once."""

        async def go(settings: Settings) -> meetings.Called:
            zone = ZoneInfo(settings.programme.timezone)
            starts_at, now = parse_start(at, zone), utcnow()
            if starts_at <= now:
                raise UserError(f"--at {at}: that time has passed")
            if not place.strip():
                raise UserError("--place is empty")
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                called = await meetings.call(
                    session,
                    area=await area_by_code(session, area),
                    officer=await officer_by_code(session, officer) if officer else None,
                    starts_at=starts_at,
                    place=place,
                    agenda=agenda,
                    now=now,
                    zone=zone,
                    deliver_at=Timing.of(settings).waking(now),
                )
                await audit(session, "cli", "meeting.add", meeting_id=called.meeting.id, area=area)
            return called

        called = run(go(state.settings()))
        typer.echo(f"meeting {called.meeting.id}: {called.invited} households invited")


def parse_start(text: str, zone: ZoneInfo) -> datetime:
    """An ISO time; a naive one is read in the programme's time zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"--at {text!r}: use ISO 8601, e.g. 2026-12-05T14:00") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
