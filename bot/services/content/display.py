"""An article as chat messages: plain text with its source and date."""

from __future__ import annotations

import re

from bot.services.content.articles import LINK, Article
from bot.textutil import split_message

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


def render(article: Article, limit: int) -> list[str]:
    """The article as chat messages of at most ``limit`` characters, split at sentences."""
    source_label, updated_label = FOOTER_LABELS[article.language]
    footer = (
        f"{source_label}: {'; '.join(article.source)} · "
        f"{updated_label}: {article.valid_from:%d/%m/%Y}"
    )
    text = f"{article.title}\n\n{plain_text(article.body)}\n\n{footer}"
    return split_message(text, limit)
