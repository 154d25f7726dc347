"""``sinhke content``: officers check and review the information articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from bot.cli.common import state
from bot.services.content.checks import check, overdue
from bot.services.content.library import ContentLibrary, content_root


def _folder(explicit: Path | None) -> Path:
    return (
        explicit if explicit is not None else content_root(state.settings().programme.content_dir)
    )


def register(app: typer.Typer) -> None:
    content_app = typer.Typer(help="Information articles under content/.", no_args_is_help=True)
    app.add_typer(content_app, name="content")

    @content_app.command("check")
    def check_command(
        folder: Path = typer.Option(None, help="Default: the configured folder"),
    ) -> None:
        """Validate every article (front matter, dates, links), naming file and line of problems."""
        problems = check(_folder(folder))
        for problem in problems:
            typer.echo(str(problem))
        if problems:
            typer.echo(f"{len(problems)} problem(s)", err=True)
            raise typer.Exit(1)
        typer.echo("content OK")

    @content_app.command("list")
    def list_command(
        folder: Path = typer.Option(None, help="Default: the configured folder"),
        today: str = typer.Option(None, help="YYYY-MM-DD (default: today)"),
    ) -> None:
        """List the articles; those past their review date are marked."""
        root = _folder(folder)
        day = date.fromisoformat(today) if today else date.today()
        late = {(a.slug, a.language) for a in overdue(root, day)}
        for article in sorted(
            ContentLibrary(root).all_articles(), key=lambda a: (a.slug, a.language)
        ):
            mark = "REVIEW OVERDUE" if (article.slug, article.language) in late else "ok"
            typer.echo(
                f"{article.language}  {article.slug:<45} review by {article.review_by}  {mark}"
            )
        if late:
            typer.echo(f"{len(late)} article(s) past their review date", err=True)
