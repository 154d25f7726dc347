"""A month asked for: "tháng này", "xem tháng trước", "/thang 11/2026", "thang 11 sao roi".

A month without a year is the latest such month not in the future, as the diary's dates
are (``dates.py``).  The words are data (``[dates]`` in the lexicon).  Pure: ``today`` is a
parameter.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from bot.language.dates import months_after
from bot.language.folding import fold
from bot.language.lexicon import Lexicon, default_lexicon

# "11", "11/2026", "11-26", "11 năm 2026", "11 năm nay" (folded, spaces single).
_NUMBERED: Final = re.compile(
    r"(?P<month>\d{1,2})(?:\s*[/.-]\s*(?P<year>\d{4}|\d{2})|\s+(?P<lead>\S+)\s+(?P<after>\S+))?"
)


def asked_month(words: str, today: date, *, lexicon: Lexicon | None = None) -> date | None:
    """The first day of the month that the words after «tháng» name ("", "này", "trước",
    "rồi", "11", "11/2026", "11/26", "11 năm 2026", "11 năm ngoái"); None when they name
    none.  A month without a year is the latest such month not in the future."""
    dw = (lexicon if lexicon is not None else default_lexicon()).dates
    words = " ".join(fold(words).split()).strip(" .!?")
    this_month = today.replace(day=1)
    if words == "" or words in dw.this_month:
        return this_month
    if words in dw.last_month:
        return months_after(this_month, -1)
    found = _NUMBERED.fullmatch(words)
    if found is None or not 1 <= (number := int(found["month"])) <= 12:
        return None
    if found["year"]:
        year = int(found["year"]) + (2000 if len(found["year"]) == 2 else 0)
    elif found["lead"]:
        after = found["after"]
        if found["lead"] not in dw.year_lead:
            return None
        if after.isdigit() and len(after) == 4:
            year = int(after)
        elif after in dw.year_relative:
            year = today.year - dw.year_relative[after]
        else:
            return None
    else:
        year = today.year if number <= today.month else today.year - 1
    return date(year, number, 1) if year >= 2000 else None


def named_month(text: str, today: date, *, lexicon: Lexicon | None = None) -> date | None:
    """The month a whole message asks to see («tháng này», «tháng trước», «tháng 11»,
    «xem tháng 11/2026», «thang 11 sao roi»), by its first day; None for anything else."""
    lex = lexicon if lexicon is not None else default_lexicon()
    dw = lex.dates
    pieces = fold(text).strip(" .!?").split()
    for lead in dw.month_talk_lead:  # each at most once, in order: "xem sổ tháng 11"
        if pieces[:1] == [lead]:
            pieces = pieces[1:]
    if not pieces or pieces[0] not in dw.month_lead:
        return None
    rest = tuple(pieces[1:])
    for tail in dw.month_talk_tail:
        if len(rest) >= len(tail) and rest[len(rest) - len(tail) :] == tail:
            rest = rest[: len(rest) - len(tail)]
            break
    return asked_month(" ".join(rest), today, lexicon=lex)
