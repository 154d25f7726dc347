"""``sinhke broadcast``: programme notices to many households."""

from __future__ import annotations

import asyncio
import mimetypes
import time
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.cli.alerts import parse_now
from bot.cli.common import UserError, database, print_json, run, state
from bot.config import Settings
from bot.core.contract import Attachment
from bot.db import transaction
from bot.i18n import translator
from bot.services import broadcasts
from models import Broadcast, utcnow

POLL_SECONDS = 1.0


def _attachment(path: Path | None) -> Attachment | None:
    if path is None:
        return None
    if not path.exists():
        raise UserError(f"{path}: file not found")
    if (mimetypes.guess_type(path.name)[0] or "").startswith("image/"):
        return Attachment(path.name, path.read_bytes(), "photo")
    return Attachment(path.name, path.read_bytes(), "document")


def _read_notice(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text (save it as UTF-8)") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None


def register(app: typer.Typer) -> None:
    broadcast_app = typer.Typer(help="Programme notices to households.", no_args_is_help=True)
    app.add_typer(broadcast_app, name="broadcast")

    @broadcast_app.command("send")
    def send(
        text: str = typer.Option(None, help="The notice"),
        file: Path = typer.Option(None, help="A UTF-8 text file holding the notice"),
        attach: Path = typer.Option(None, help="A photo or file to send with it"),
        to: list[str] = typer.Option(
            ["all"], "--to", help="all | area:CODE | status:poor|near_poor | lang:vi (repeatable)"
        ),
        at: str = typer.Option(None, help="Send at this ISO time (default: now)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Queue a notice; the running bot sends it, paced to each platform."""
        if (text is None) == (file is None):
            raise UserError("give the notice as --text TEXT or --file FILE")
        body = text if text is not None else _read_notice(file)
        attachment = _attachment(attach)
        when = parse_now(at, "--at") if at else None

        async def go(settings: Settings) -> None:
            async with database(settings) as (_, sessions), transaction(sessions) as session:
                try:
                    target = broadcasts.Target.parse(to)
                    item = await broadcasts.create(
                        session,
                        text=body,
                        target=target,
                        now=utcnow(),
                        at=when,
                        attachment=attachment,
                    )
                    found = await broadcasts.audience(session, target)
                except broadcasts.TargetError as exc:
                    raise UserError(str(exc)) from None
            summary = {
                "id": item.id,
                "status": item.status,
                "recipients": len(found.recipients),
                "not_joined": found.not_joined,
                "blocked": found.blocked,
            }
            if as_json:
                print_json(summary)
            else:
                typer.echo(
                    f"broadcast {item.id} {item.status}: {len(found.recipients)} recipients, "
                    f"left out {found.not_joined} not joined and {found.blocked} blocked"
                )

        run(go(state.settings()))

    @broadcast_app.command("status")
    def status(
        broadcast_id: int = typer.Argument(..., help="The broadcast's id"),
        watch: bool = typer.Option(True, help="Show a progress bar until it is done"),
        give_up_after: float = typer.Option(
            15.0, help="Stop watching after this many seconds without progress"
        ),
    ) -> None:
        """Sent, failed, blocked and left out; a progress bar while it runs."""

        async def go(settings: Settings) -> tuple[Broadcast, broadcasts.Progress, bool]:
            async with database(settings) as (_, sessions):
                with Progress(
                    TextColumn("#{task.fields[id]}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.fields[status]}"),
                    disable=not watch,
                    transient=True,
                ) as bar:
                    task = bar.add_task("send", total=None, id=broadcast_id, status="")
                    seen: tuple[str, int] | None = None
                    since = time.monotonic()
                    while True:
                        async with sessions() as session:
                            item = await session.get(Broadcast, broadcast_id)
                            if item is None:
                                raise UserError(f"no broadcast {broadcast_id}")
                            report = await broadcasts.progress(session, item)
                        bar.update(
                            task,
                            total=report.total or None,
                            completed=report.settled,
                            status=item.status,
                        )
                        if not watch or item.status == "done":
                            return item, report, False
                        if (item.status, report.settled) != seen:
                            seen, since = (item.status, report.settled), time.monotonic()
                        elif time.monotonic() - since >= give_up_after:
                            return item, report, True  # nothing moves: no bot running?
                        await asyncio.sleep(POLL_SECONDS)

        settings = state.settings()
        item, report, stalled = run(go(settings))
        t = translator(settings.programme.default_locale)
        typer.echo(f"broadcast {item.id} {item.status}: {broadcasts.describe(t, report)}")
        if stalled:
            typer.echo(
                f"no progress for {give_up_after:.0f} s: the running bot (`sinhke run`) sends "
                "notices; is it running? This is the last known state.",
                err=True,
            )
