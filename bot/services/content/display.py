"""An article as chat messages: plain text with its source and date."""

from __future__ import annotations

import re

from bot.services.content.articles import LINK, Article
from bot.textutil import READING_LINES, shown_lines, split_message

FOOTER_LABELS: dict[str, tuple[str, str]] = {
    "vi": ("Nguồn", "Cập nhật"),
    "en": ("Source", "Updated"),
}
_BULLET = re.compile(r"^[ \t]*[-*][ \t]+", re.MULTILINE)


def plain_text(body: str) -> str:
    """Plain chat text: links become "text (address)", list dashes become bullets.

    A link whose text is its own address ("[dolab.gov.vn](https://dolab.gov.vn)") keeps
    just the text; chat apps turn a bare domain into a link themselves.
    """

    def plain_link(match: re.Match[str]) -> str:
        text, url = match.group(1).strip(), match.group(2).strip()
        address = url.split("://", 1)[-1].rstrip("/")
        return text if text.rstrip("/") in (url, address) else f"{text} ({url})"

    return _BULLET.sub("• ", LINK.sub(plain_link, body))


def render_answer(article: Article) -> str:
    """The title and the answer lines: what a household reads first."""
    return "\n".join([article.title, *article.answer])


def render(article: Article, limit: int, *, lines: int = READING_LINES) -> list[str]:
    """The whole article as chat messages of at most ``limit`` characters and ``lines``
    lines each, split between paragraphs, else at sentences or line breaks."""
    source_label, updated_label = FOOTER_LABELS[article.language]
    footer = (
        f"{source_label}: {'; '.join(article.source)} · "
        f"{updated_label}: {article.valid_from:%d/%m/%Y}"
    )
    text = f"{article.title}\n\n{plain_text(article.body)}\n\n{footer}"
    pieces = [
        piece
        for paragraph in text.split("\n\n")
        for chunk in _line_chunks(paragraph.strip(), lines)
        for piece in split_message(chunk, limit)
    ]
    messages: list[str] = []
    for piece in pieces:
        joined = f"{messages[-1]}\n\n{piece}" if messages else piece
        if messages and len(joined) <= limit and shown_lines(joined) <= lines:
            messages[-1] = joined
        else:
            messages.append(piece)
    return messages


def _line_chunks(paragraph: str, lines: int) -> list[str]:
    rows = paragraph.splitlines()
    return ["\n".join(rows[i : i + lines]) for i in range(0, len(rows), lines)] or [""]
