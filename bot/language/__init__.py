"""Reading Vietnamese household-diary messages (see shared/diary-language.md).

Pure Python: no database, no clock (``today`` is a parameter), no I/O beyond loading the
package's own ``lexicon.toml`` once.

    >>> from datetime import date
    >>> result = parse_message("bán heo 3 triệu", today=date(2026, 3, 20))
    >>> [(e.kind, e.amount, e.category) for e in result.entries]
    [('income', 3000000, 'livestock')]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.language.amounts import AmountReader
from bot.language.dates import DateReader
from bot.language.lexicon import KINDS, CategoryInfo, Lexicon, default_lexicon
from bot.language.model import Clarify, ParsedEntry, ParseResult
from bot.language.parser import (
    DEFAULT_CEILING,
    default_category,
    parse_message,
    resolve_category,
)
from bot.language.tokens import Text, Tokens

__all__ = [
    "CATEGORIES",
    "DEFAULT_CEILING",
    "KINDS",
    "CategoryInfo",
    "Clarify",
    "Lexicon",
    "ParseResult",
    "ParsedEntry",
    "complete_amount",
    "complete_direction",
    "parse_amount",
    "parse_date",
    "parse_message",
]

CATEGORIES: Mapping[str, CategoryInfo] = default_lexicon().categories


def complete_direction(
    clarify: Clarify,
    kind: str,
    *,
    overrides: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
) -> ParsedEntry:
    """The entry once the household answered Thu / Chi / Vay / Trả nợ.

    The category is read again from the message for that kind ("heo 3 triệu" is
    livestock sold, production bought).  Raises ``ValueError`` for an unknown kind or a
    question that had no sum.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if clarify.amount is None:
        raise ValueError("this question has no sum to complete")
    category, keyword = resolve_category(
        clarify.text, kind, today=clarify.date, lexicon=lexicon, overrides=overrides
    )
    return ParsedEntry(
        kind, clarify.amount, category, clarify.date, clarify.time, clarify.text, keyword
    )


def complete_amount(
    clarify: Clarify,
    answer: str,
    *,
    ceiling: int = DEFAULT_CEILING,
    lexicon: Lexicon | None = None,
) -> ParsedEntry | None:
    """The entry once the household typed the missing sum ("3 triệu", "500").

    None if the answer is still not a single sum, is over ``ceiling``, or the question
    did not know the kind (a "direction" question is answered with a kind instead).
    """
    if clarify.kind is None:
        return None
    amount = parse_amount(answer, lexicon=lexicon)
    if amount is None or amount > ceiling:
        return None
    category = clarify.category_hint or default_category(clarify.kind)
    return ParsedEntry(
        clarify.kind,
        amount,
        category,
        clarify.date,
        clarify.time,
        clarify.text,
        clarify.keyword,
    )


def parse_amount(text: str, *, lexicon: Lexicon | None = None) -> int | None:
    """A single sum typed alone: "3tr5", "hai trăm nghìn", "500" (= 500 000); else None."""
    if not isinstance(text, str):
        return None
    lex = lexicon if lexicon is not None else default_lexicon()
    tokens = Tokens(Text(text[:1000]).folded)
    return AmountReader(lex, tokens).single()


def parse_date(text: str, *, today: date, lexicon: Lexicon | None = None) -> date | None:
    """The date a text names ("hôm qua", "15/3", "thứ hai"), never in the future."""
    if not isinstance(text, str):
        return None
    lex = lexicon if lexicon is not None else default_lexicon()
    tokens = Tokens(Text(text[:1000]).folded)
    reader = DateReader(lex, tokens, today)
    for i in range(len(tokens)):
        hit = reader.read(i, at_start=i == 0)
        if hit is not None:
            if hit.future:
                return None
            if hit.day is not None:
                return hit.day
            if hit.clock is not None:
                return today
    return None
