"""Checking the content folder: every mistake by file and line, and articles due for review."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.services.content.articles import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    Article,
    Problem,
    article_files,
    parse,
)
from bot.services.content.library import ContentLibrary


def check(root: Path) -> list[Problem]:
    """Every mistake in the content under ``root``, by file and line."""
    if not root.is_dir():
        return [Problem(root, 0, "content folder not found")]
    problems: list[Problem] = []
    slugs: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        if directory.name not in LANGUAGES and any(directory.glob("*.md")):
            problems.append(
                Problem(directory, 0, f"folder {directory.name!r} is not a language: {LANGUAGES}")
            )
    for path, folder in article_files(root):
        if folder not in LANGUAGES:
            continue
        slugs[folder].add(path.stem)
        problems.extend(parse(path, folder)[1])
    translations = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
    for language in translations:
        for slug in sorted(slugs[SOURCE_LANGUAGE] - slugs[language]):
            problems.append(
                Problem(
                    root / language / f"{slug}.md",
                    0,
                    f"translation of {SOURCE_LANGUAGE}/{slug}.md missing",
                )
            )
        for slug in sorted(slugs[language] - slugs[SOURCE_LANGUAGE]):
            problems.append(
                Problem(
                    root / language / f"{slug}.md",
                    0,
                    f"no {SOURCE_LANGUAGE} original {SOURCE_LANGUAGE}/{slug}.md",
                )
            )
    return problems


def overdue(root_or_library: Path | ContentLibrary, today: date) -> list[Article]:
    """Article files whose ``review_by`` date has passed, oldest first."""
    library = (
        root_or_library
        if isinstance(root_or_library, ContentLibrary)
        else ContentLibrary(root_or_library)
    )
    late = [article for article in library.all_articles() if article.review_by < today]
    return sorted(late, key=lambda article: (article.review_by, str(article.path)))
