"""Every reply the dialog tests produce, read against the style guide (docs/style.md).

``MemoryChannel`` hands each reply it is asked to send to ``COLLECTOR``; an autouse
fixture (tests/conftest.py) empties it before a test and, after it, fails the test on
any reply that breaks the guide.  ``SINHKE_REPLY_LOG=path`` also appends every reply to
``path`` (one JSON line each) for counting the most-seen replies.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.contract import Reply
from bot.core.outbox import numbered_options
from bot.language import CATEGORIES, KINDS
from bot.services.content.articles import DECREE_NUMBER
from bot.textutil import READING_LINES, shown_lines

# docs/style.md: at most READING_LINES (8) lines, counted as the platform shows them
# (numbered options on Zalo and the terminal are one more line).
MAX_LINES = READING_LINES
MORE_LABEL = "Xem thêm"

# "-820.000 ₫", "−820.000 đ", "- 3 triệu": a minus sign is easy to miss before money.
_MINUS_MONEY = re.compile(r"(?<![\w/])[-−–]\s?\d[\d.,]*\s?(?:₫|đ\b|đồng|triệu|tr\b|k\b|nghìn)")
# Codes a person should never read: locale codes, the kinds and categories of money, the
# states of requests and alerts.
_CODE_WORDS = (*KINDS, *CATEGORIES, "open", "taken", "answered", "closed", "acknowledged")
_SNAKE_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:ngữ|language)\W{0,3}(?:vi|en)\b")
# In a Vietnamese reply an English code word is a code ("vi" alone is a word: "phạm vi").
_RAW_CODE = re.compile(
    _SNAKE_CODE.pattern + r"|(?<![\w./@:-])(?:" + "|".join(_CODE_WORDS) + r")(?![\w./@-])"
)
# The household is "anh/chị" and the bot "mình"; "bạn", "quý vị", "em" mix voices.
_OTHER_PRONOUNS = re.compile(r"\b(?:bạn|quý vị|quý khách|tôi xin)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Heard:
    channel: str
    address: str
    reply: Reply
    shown: str  # the text as the platform shows it (numbered options where no buttons)


@dataclass
class Collector:
    heard: list[Heard] = field(default_factory=list)

    def hear(self, channel: str, address: str, reply: Reply, *, buttons: bool) -> None:
        shown = reply.text
        if reply.buttons and not buttons:
            shown = f"{shown}\n{numbered_options(reply)}"
        self.heard.append(Heard(channel, address, reply, shown))


COLLECTOR = Collector()


def has_more(heard: Heard) -> bool:
    """A "Xem thêm" button, or the numbered option a channel without buttons shows."""
    return any(button.label == MORE_LABEL for button in heard.reply.flat_buttons()) or bool(
        re.search(rf"\d\. {MORE_LABEL}\b", heard.shown)
    )


def style_problems(heard: Heard, reader: tuple[bool, str] | None) -> list[str]:
    """What in one reply breaks the style guide (empty when nothing does).  ``reader``
    is (an officer?, locale) of the chat; a chat not (or no longer) joined is read as a
    household's in Vietnamese, the stricter."""
    officer, locale = reader or (False, "vi")
    text = heard.shown
    problems = []
    if match := _MINUS_MONEY.search(text):
        problems.append(f"a minus sign before money ({match.group()!r}): say Thiếu / Chi nhiều hơn")
    codes = _RAW_CODE if locale == "vi" else _SNAKE_CODE
    if match := codes.search(_without_commands(text)):
        problems.append(f"a raw code ({match.group()!r})")
    lines = shown_lines(text)
    if lines > MAX_LINES and not (officer and has_more(heard)):
        problems.append(f"{lines} lines (at most {MAX_LINES})")
    if not officer:
        if match := DECREE_NUMBER.search(_without_source(text)):
            problems.append(f"a decree number ({match.group()!r}) in a household reply")
        if match := _OTHER_PRONOUNS.search(text):
            problems.append(f"another pronoun ({match.group()!r}): the household is anh/chị")
    return problems


def _without_source(text: str) -> str:
    """An article's source line names its decrees, for whoever wants to check them."""
    return re.sub(r"^(?:Nguồn|Source): .*$", "", text, flags=re.MULTILINE)


def _without_commands(text: str) -> str:
    """Commands (/thang), links and e-mail addresses may hold code-like words."""
    return re.sub(r"(?:/[a-z_]+|https?://\S+|\S+@\S+|`[^`]*`)", " ", text)


def log_replies(
    heard: list[Heard], readers: dict[tuple[str, str], tuple[bool, str]], test: str
) -> None:
    path = os.environ.get("SINHKE_REPLY_LOG")
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as handle:
        for one in heard:
            officer = readers.get((one.channel, one.address), (False, "vi"))[0]
            record = {"test": test, "officer": officer, "text": one.shown}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
