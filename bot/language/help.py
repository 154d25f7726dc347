"""What a request to a person is about: legal aid, work abroad, a loan, or other help.

The words are data (``[help_topics]`` and ``[help]`` in talk.toml), compared folded, so
"cần luật sư" and "can luat su" read the same.  Pure: text in, a topic out.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache

from bot.language.folding import fold
from bot.language.talk import DATA, talk


def _any(phrases: Iterable[str]) -> str:
    """One alternative per folded phrase, longest first (so "vay vốn" wins over "vay")."""
    folded = sorted({" ".join(fold(p).split()) for p in phrases}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p) for p in folded) + ")"


def _word(phrases: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"\b{_any(phrases)}\b")


@cache
def _topics() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """Per topic, the patterns found one after another on one line."""
    with DATA.open("rb") as file:
        words: dict[str, list[str]] = tomllib.load(file)["help_topics"]
    asks = _word(words["asks"])
    passive = _any(words["passive"])
    borrowing = (
        rf"^(?:{_any(words['speakers'])} )?{_any(words['borrow_asks'])} (?:{passive} )?"
        rf"{_any(words['borrow'])}\b(?!.*\d)"
    )
    helping = rf"\b{_any(words['asks'])} (?:{passive} )?{_any(words['helping'])}\b"
    return (
        ("legal_aid", (asks, _word(words["legal"]))),
        ("overseas_work", (asks, _word(words["advice"]), _word(words["abroad"]))),
        ("loan", (re.compile(borrowing),)),
        ("help", (re.compile(rf"{helping}|\b{_any(words['pleas'])}\b"),)),
    )


def _in_order(line: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """Whether the patterns match one after another in ``line``.

    The same as one regex ``a.*b.*c``, in linear time: that regex tries every ``a`` with
    every ``b`` after it, which a crafted 4,096-character message turned into seconds.
    The earliest match of each leaves the most room for the next, so it is enough.
    """
    at = 0
    for pattern in patterns:
        found = pattern.search(line, at)
        if found is None:
            return False
        at = found.end()
    return True


def help_topic(text: str) -> str | None:
    """The topic of a message that asks a person for help, or ``None``; a plain plea
    ("giúp tôi với", "nhờ cán bộ") is a request for help."""
    lines = fold(text).strip().split("\n")
    for topic, patterns in _topics():
        if any(_in_order(line, patterns) for line in lines):
            return topic
    return "help" if talk().asks_for_help(text) else None
