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
from dataclasses import replace
from datetime import date

from bot.language.amounts import COUNT, COUNT_SCALE, AmountReader
from bot.language.dates import DateReader
from bot.language.lexicon import KINDS, CategoryInfo, Lexicon, default_lexicon
from bot.language.model import Clarify, ParsedEntry, ParseResult
from bot.language.parser import (
    DEFAULT_CEILING,
    MOVE_CATEGORY,
    default_category,
    parse_message,
    resolve_answer,
)
from bot.language.tokens import Text, Tokens

__all__ = [
    "CATEGORIES",
    "DEFAULT_CEILING",
    "KINDS",
    "MOVE_CATEGORY",
    "CategoryInfo",
    "Clarify",
    "Lexicon",
    "ParseResult",
    "ParsedEntry",
    "complete_amount",
    "complete_direction",
    "complete_total",
    "confirm_large",
    "count_in",
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
    kind, category, keyword = resolve_answer(
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
    amount = parse_amount(answer, lexicon=lexicon)
    if amount is None or amount > ceiling:
        return None
    return _entry_of(clarify, amount)


def confirm_large(clarify: Clarify) -> ParsedEntry | None:
    """The entry of a sum over the ceiling, once the household said it is right; None
    when the question did not know the kind (then ask which way the money went)."""
    return _entry_of(clarify, clarify.amount) if clarify.amount is not None else None


def _entry_of(clarify: Clarify, amount: int) -> ParsedEntry | None:
    """The entry a question was about, with its sum; None if the kind is not known."""
    if clarify.kind is None:
        return None
    category = clarify.category_hint or default_category(clarify.kind)
    return ParsedEntry(
        clarify.kind, amount, category, clarify.date, clarify.time, clarify.text, clarify.keyword
    )


def complete_total(
    clarify: Clarify,
    answer: str,
    *,
    ceiling: int = DEFAULT_CEILING,
    lexicon: Lexicon | None = None,
) -> ParsedEntry | None:
    """The entry of a price per unit once the household gave the count ("30 ký": the
    price times 30) or the whole sum ("2tr1"); None if the answer is neither."""
    entry = confirm_large(clarify)
    if entry is None:
        return None
    lex = lexicon if lexicon is not None else default_lexicon()
    count = count_in(answer, lexicon=lex)
    total = entry.amount * count // COUNT_SCALE if count is not None else None
    if total is None:
        total = parse_amount(answer, lexicon=lex)
    if total is None or not 0 < total <= ceiling:
        return None
    return replace(entry, amount=total)


def count_in(text: str, *, lexicon: Lexicon | None = None) -> int | None:
    """The count of a short answer ("30 ký", "2 bao"), in thousandths; else None."""
    lex = lexicon if lexicon is not None else default_lexicon()
    tokens = Tokens(Text(text[:200]).folded)
    reader = AmountReader(lex, tokens)
    for i in range(len(tokens)):
        if reader.starts_number(i):
            hit = reader.read(i)
            return hit.value if hit is not None and hit.kind == COUNT and hit.value > 0 else None
    return None


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
