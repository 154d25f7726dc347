"""All articles under a folder, kept in step with the files as officers edit them.

:class:`ContentLibrary` notices a changed file by its modification time (looked at no
more often than every ``refresh_interval`` seconds) and serves the new text without a
restart.  A file that no longer parses keeps its last good version in the library;
:func:`bot.services.content.checks.check` names the file and line of every mistake.

Pure: files in, values out.  No database, no chat, no network.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.language.folding import fold
from bot.services.content.articles import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    TOPIC_LABELS,
    TOPICS,
    Article,
    Topic,
    article_files,
    parse,
)
from bot.services.content.search import Index, SearchHit

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class _Loaded:
    signature: tuple[int, int]  # (mtime_ns, size) when last read
    article: Article | None  # the last good version, if any


class ContentLibrary:
    """All articles under ``root``, re-read when a file changes on disk."""

    def __init__(
        self,
        root: Path,
        *,
        refresh_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not root.is_dir():
            raise FileNotFoundError(f"content folder not found: {root}")
        self.root = root
        self._refresh_interval = refresh_interval
        self._clock = clock
        self._files: dict[Path, _Loaded] = {}
        self._indexes: dict[str, Index] = {}
        self._lock = threading.Lock()  # the chat loop and a scheduler thread may both ask
        self._last_scan = clock()
        self._rescan()

    # -- public API

    def topics(self, language: str) -> list[Topic]:
        """Topics with at least one article, in the programme's order."""
        index = self._index(language)
        present = {entry.article.topic for entry in index.entries}
        return [Topic(code, TOPIC_LABELS[language][code]) for code in TOPICS if code in present]

    def articles(self, topic: str, language: str) -> list[Article]:
        """Articles of ``topic`` for a reader of ``language``, by title."""
        index = self._index(language)
        found = [entry.article for entry in index.entries if entry.article.topic == topic]
        return sorted(found, key=lambda article: fold(article.title))

    def get(self, slug: str, language: str) -> Article | None:
        """The article in ``language``, else its Vietnamese original, else ``None``."""
        index = self._index(language)
        return next((e.article for e in index.entries if e.article.slug == slug), None)

    def search(self, query: str, language: str, *, limit: int = 3) -> list[SearchHit]:
        """Best articles for a free question, best first; diacritics are optional."""
        return self._index(language).search(query, limit)

    def all_articles(self) -> list[Article]:
        """Every loaded article file (both languages), by path."""
        self._refresh_if_due()
        with self._lock:
            files = sorted(self._files.items())
        return [loaded.article for _, loaded in files if loaded.article is not None]

    # -- loading

    def _index(self, language: str) -> Index:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
        self._refresh_if_due()
        return self._indexes[language]

    def _refresh_if_due(self) -> None:
        if self._clock() - self._last_scan >= self._refresh_interval:
            with self._lock:
                if self._clock() - self._last_scan >= self._refresh_interval:
                    self._rescan()

    def _rescan(self) -> None:
        """Re-read new and changed files, forget deleted ones; called under the lock."""
        self._last_scan = self._clock()
        changed = False
        seen: set[Path] = set()
        for path, folder in article_files(self.root):
            if folder not in LANGUAGES:
                continue
            seen.add(path)
            try:
                stat = path.stat()
            except FileNotFoundError:  # deleted between listing and stat
                continue
            signature = (stat.st_mtime_ns, stat.st_size)
            loaded = self._files.get(path)
            if loaded is not None and loaded.signature == signature:
                continue
            article, problems = parse(path, folder)
            for found in problems:
                logger.warning("content problem, keeping the last good version: %s", found)
            previous = loaded.article if loaded is not None else None
            self._files[path] = _Loaded(signature, article or previous)
            changed = True
        for gone in self._files.keys() - seen:
            del self._files[gone]
            changed = True
        if changed or not self._indexes:
            self._rebuild()

    def _rebuild(self) -> None:
        by_language: dict[str, dict[str, Article]] = {language: {} for language in LANGUAGES}
        for loaded in self._files.values():
            if loaded.article is not None:
                by_language[loaded.article.language][loaded.article.slug] = loaded.article
        originals = by_language[SOURCE_LANGUAGE]
        self._indexes = {
            language: Index(
                sorted(
                    ({**originals, **by_language[language]}).values(),
                    key=lambda article: article.slug,
                ),
                language,
            )
            for language in LANGUAGES
        }


SHIPPED_CONTENT = Path(__file__).resolve().parents[3] / "content"


def content_root(configured: str) -> Path:
    """The configured content folder, or the one shipped with the bot when none is set."""
    return Path(configured) if configured else SHIPPED_CONTENT
