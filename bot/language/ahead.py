"""Times and days ahead: a reminder's time of day, a meeting's day and time, a loan's due date.

The diary's reader (``dates.py``) reads days that have been; these read days to come, with
the same reading of a day written in figures (``dates.WRITTEN_DAY``) and the words of the
lexicon's ``[dates]``.  Pure: ``today`` and ``now`` are parameters.
"""

from __future__ import annotations

from datetime import date, datetime, time

from bot.language.dates import WRITTEN_DAY, months_after, next_day_month, written_day
from bot.language.lexicon import DateWords, Lexicon, default_lexicon
from bot.language.tokens import NUM, TIME, WORD, Text, Tokens

_LIMIT = 200  # a time or a date typed alone is short: the rest is not read
_TRAILING = frozenset(",.!")


def _words(lexicon: Lexicon | None) -> DateWords:
    return (lexicon if lexicon is not None else default_lexicon()).dates


def parse_time(text: str, *, lexicon: Lexicon | None = None) -> time | None:
    """ "19:00", "19h", "7 giờ tối", "7h30 sáng", "nhắc tôi lúc 7 giờ tối nhé" → a time
    of day; None when the text is anything else."""
    tokens = Tokens(Text(text[:_LIMIT]).folded)
    return _clock(tokens.kinds, tokens.words, _words(lexicon))


def parse_when(text: str, now: datetime, *, lexicon: Lexicon | None = None) -> datetime | None:
    """ "05/12 14:00", "14h 5/12", "5/12/2026 2 giờ chiều" → an aware time in ``now``'s
    zone; ``None`` when the day or the time cannot be read.  Without a year: this year's
    day, or next year's once it has passed ("05/01" typed in December); a time earlier
    today stays today's, so the officer hears it has passed."""
    folded = Text(text[:_LIMIT]).folded
    found = WRITTEN_DAY.search(folded)
    parts = written_day(found) if found else None
    if found is None or parts is None:
        return None
    dw = _words(lexicon)
    kinds: list[int] = []
    words: list[str] = []
    for piece in (folded[: found.start()], folded[found.end() :]):
        tokens = Tokens(piece)
        for kind, word in zip(tokens.kinds, tokens.words, strict=True):
            if not (kind == WORD and word in dw.when_filler) and word != ",":
                kinds.append(kind)
                words.append(word)
    clock = _clock(kinds, words, dw)
    if clock is None:
        return None
    day, month, year = parts
    if year is None:
        on = next_day_month(day, month, now.date(), today_too=True)
        return None if on is None else datetime.combine(on, clock, now.tzinfo)
    try:
        return datetime.combine(date(year, month, day), clock, now.tzinfo)
    except ValueError:
        return None


def parse_due_date(text: str, *, today: date, lexicon: Lexicon | None = None) -> date | None:
    """A due date: "30/6/2027", "30/6" (the next such day), "12 tháng", "2 năm nữa"."""
    folded = Text(text[:_LIMIT]).folded.strip()
    found = WRITTEN_DAY.fullmatch(folded)
    if found is not None:
        parts = written_day(found)
        if parts is None:
            return None
        day, month, year = parts
        if year is None:
            return next_day_month(day, month, today, today_too=False)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    dw = _words(lexicon)
    tokens = Tokens(folded)
    kinds, words = tokens.kinds, tokens.words
    if not 2 <= len(kinds) <= 3 or kinds[0] != NUM or not words[0].isdigit():
        return None
    if len(words[0]) > 3 or kinds[1] != WORD or words[1] not in dw.months_ahead:
        return None
    if len(kinds) == 3 and not (kinds[2] == WORD and words[2] in dw.ahead):
        return None
    return months_after(today, int(words[0]) * dw.months_ahead[words[1]])


def _clock(kinds: list[int], words: list[str], dw: DateWords) -> time | None:
    """The time of day the tokens say, once the words around it are left out."""
    start, end = 0, len(kinds)
    while start < end and kinds[start] == WORD and words[start] in dw.clock_lead:
        start += 1
    while start < end:
        if words[end - 1] in _TRAILING or (
            kinds[end - 1] == WORD and words[end - 1] in dw.clock_tail
        ):
            end -= 1
        elif end - start >= 2 and " ".join(words[end - 2 : end]) in dw.clock_tail:
            end -= 2
        else:
            break
    return _hour_minute(kinds[start:end], words[start:end], dw)


def _hour_minute(kinds: list[int], words: list[str], dw: DateWords) -> time | None:
    """ "7h30", "19:00", "7 giờ 30", "7 30", "730", each perhaps with "sáng" or "tối"."""
    after_noon = False
    if kinds and kinds[-1] == WORD and words[-1] in dw.after_noon | dw.before_noon:
        after_noon = words[-1] in dw.after_noon
        kinds, words = kinds[:-1], words[:-1]
    if not kinds:
        return None
    hour, minute = _figures(kinds, words, dw)
    if hour is None:
        return None
    if after_noon and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _figures(kinds: list[int], words: list[str], dw: DateWords) -> tuple[int | None, int]:
    first = words[0]
    if kinds[0] == TIME:  # "7h", "7h30", "19:00", "7g30"; "7h 30" has its minutes apart
        hour, _, written = first.replace("g", ":").replace("h", ":").partition(":")
        minute = int(written) if written else _minute(kinds[1:], words[1:])
        if minute is None or (written and len(kinds) > 1):
            return None, 0
        return int(hour), minute
    if kinds[0] != NUM or not first.isdigit() or len(first) > 4:
        return None, 0
    if len(first) > 2:  # "730", "1930": the last two figures are the minutes
        return (int(first[:-2]), int(first[-2:])) if len(kinds) == 1 else (None, 0)
    at = 2 if len(kinds) > 1 and (words[1] in dw.clock_words or words[1] == ":") else 1
    minute = _minute(kinds[at:], words[at:])
    return (int(first), minute) if minute is not None else (None, 0)


def _minute(kinds: list[int], words: list[str]) -> int | None:
    """The minutes after an hour: none (0) or two figures."""
    if not kinds:
        return 0
    if len(kinds) == 1 and kinds[0] == NUM and words[0].isdigit() and len(words[0]) == 2:
        return int(words[0])
    return None
