"""Splitting a long message into parts a platform takes."""

from __future__ import annotations

import re

# At most this many lines a message (docs/style.md): a small old phone shows about ten
# lines of chat above the keyboard, and the first line (the answer) must stay in sight.
READING_LINES = 8


def shown_lines(text: str) -> int:
    """The lines of text a reader sees (blank lines between paragraphs not counted)."""
    return sum(1 for line in text.splitlines() if line.strip())


_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+|\n+")


def split_message(text: str, limit: int) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` characters.

    Parts end at a paragraph or sentence boundary where one exists inside the
    limit; only a single sentence longer than the limit is cut at a space (or,
    failing that, hard at the limit).
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = _last_boundary(window, limit)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _last_boundary(window: str, limit: int) -> int:
    """Index in ``window`` where the part should end (at most ``limit``)."""
    best = 0
    for match in _SENTENCE_END.finditer(window):
        if match.start() <= limit:
            best = match.start()
    if best > 0:
        return best
    space = window.rfind(" ", 0, limit + 1)
    return space if space > 0 else limit
