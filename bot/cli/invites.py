"""``sinhke household invites``: fresh invites on paper for the households not yet joined.

The ``household`` group is created in :mod:`bot.cli.admin`, which calls :func:`add_to`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import typer

from bot.cli.common import UserError, database, run, state
from bot.cli.report import write_output
from bot.config import Settings
from bot.db import transaction
from bot.services.people.audit import audit
from bot.services.people.registry import area_by_code
from bot.services.rendering.invite_sheet import (
    InviteCard,
    SheetFormat,
    draw_sheet,
    reissue_invites,
    sheet_heading,
)
from models import utcnow

# Telegram: 5-32 letters, digits and underscores, ending in "bot".
_BOT_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,30}[Bb][Oo][Tt]$")


def add_to(household_app: typer.Typer) -> None:
    @household_app.command("invites")
    def invites(
        area: str = typer.Option(..., help="Area code (the areas below it are included)"),
        out: Path = typer.Option(..., help="The sheet: .pdf (A4 pages) or .png (one image)"),
        bot_username: str = typer.Option(
            None,
            "--bot-username",
            help="The Telegram bot the QR codes open (default: asked of Telegram with the "
            "configured token)",
        ),
    ) -> None:
        """Print new one-time invites (QR code and code) for the households not joined yet.

        Codes are kept only as hashes, so their unused invites are replaced by new ones."""
        fmt = _format_of(out)
        settings = state.settings()
        bot = (bot_username or run(telegram_username(settings))).removeprefix("@")
        if not _BOT_USERNAME.match(bot):
            raise UserError(f"--bot-username {bot_username!r}: not a Telegram bot username")

        async def go(settings: Settings) -> tuple[int, date]:
            now, ttl = utcnow(), settings.invites.ttl_days
            expires = (now + timedelta(days=ttl)).astimezone(ZoneInfo(settings.programme.timezone))
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                issued = await reissue_invites(
                    session, area, now, ttl, secret=settings.invites.secret.get_secret_value()
                )
                if issued:
                    heading = sheet_heading(
                        (await area_by_code(session, area)).name,
                        expires.date(),
                        locale=settings.programme.default_locale,
                    )
                    cards = [invite.card(bot) for invite in issued]
                    # Written before the commit: if it fails, the old invites stay valid.
                    write_output(out, _draw(cards, fmt, heading, settings.programme.default_locale))
                for invite in issued:
                    await audit(session, "cli", "invite.reissue", household_id=invite.household_id)
            return len(issued), expires.date()

        count, expires_on = run(go(settings))
        if count:
            typer.echo(
                f"{out}: {count} invites for {area} (t.me/{bot}), valid until {expires_on:%d/%m/%Y}"
            )
        else:
            typer.echo(f"{area}: every household has joined; nothing to print")


async def telegram_username(settings: Settings) -> str:
    """The bot's username, as Telegram knows it from the configured token (getMe)."""
    if not settings.telegram.token.get_secret_value():
        raise UserError(
            "no [telegram] token to ask Telegram the bot's name: set one, or give --bot-username"
        )
    from bot.channels.telegram.channel import TelegramChannel

    channel = TelegramChannel(settings.telegram)
    try:
        me = await channel.bot.get_me()
    except Exception as exc:
        raise UserError(
            f"telegram: cannot ask the bot's name ({exc}); give --bot-username"
        ) from None
    finally:
        await channel.close()
    return me.username or ""


def _format_of(out: Path) -> SheetFormat:
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in ("pdf", "png"):
        raise UserError(f"--out {out}: name it *.pdf (A4 pages) or *.png (one image)")
    return cast(SheetFormat, suffix)


def _draw(cards: list[InviteCard], fmt: SheetFormat, heading: str, locale: str) -> bytes:
    try:
        return draw_sheet(cards, fmt=fmt, heading=heading, locale=locale)
    except ValueError as exc:
        raise UserError(str(exc)) from None
