"""Dates and times of day in a message: "hôm qua", "tối qua", "thứ hai", "15/3", "7h30".

Every date is resolved against ``today`` (a parameter: the reader has no clock) and is
never in the future: "15/3" is the latest 15 March not after today, "thứ hai" the latest
Monday (today if today is a Monday).  Plans ("ngày mai", "tuần sau") are reported as
such so that the parser records nothing for them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, time, timedelta
from typing import Final, NamedTuple

from bot.language.lexicon import DateWords, Lexicon
from bot.language.numbers import DIGITS, NUMERAL_WORDS
from bot.language.tokens import DATE, NUM, SYM, TIME, WORD, Tokens

_MAX_YEARS_BACK: Final = 8  # 29/2 may need a few years to find a leap year
# A day written in figures: "15/3", "15/3/2026", "15-3-26", "5.12", "5 / 12".
WRITTEN_DAY: Final = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2}))?")


class DateHit(NamedTuple):
    end: int  # token index after the expression
    day: date | None  # None: leaves the date as it was (a time alone, a vague span)
    clock: time | None
    future: bool = False


def latest_day_month(day: int, month: int, today: date) -> date | None:
    """The latest ``day/month`` not after today, or None if there is no such date."""
    for year in range(today.year, today.year - _MAX_YEARS_BACK, -1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found <= today:
            return found
    return None


def latest_day_of_month(day: int, today: date) -> date | None:
    """The latest date with this day of the month, not after today ("ngày 15")."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found <= today:
            return found
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def latest_weekday(weekday: int, today: date) -> date:
    """The latest day with this weekday (Monday = 0), today included."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _full_year(text: str) -> int | None:
    year = int(text)
    if len(text) == 2:
        return 2000 + year
    return year if len(text) == 4 else None


def written_day(found: re.Match[str]) -> tuple[int, int, int | None] | None:
    """Day, month and year (None when not written) of a ``WRITTEN_DAY`` match."""
    day, month = int(found[1]), int(found[2])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return day, month, _full_year(found[3]) if found[3] else None


def read_day_month(text: str, today: date) -> date | None:
    """``15/3``, ``15/3/2026``, ``15-3-2026`` → a date not after today."""
    found = WRITTEN_DAY.fullmatch(text)
    parts = written_day(found) if found else None
    if parts is None:
        return None
    day, month, year = parts
    if year is not None:
        try:
            return date(year, month, day)  # perhaps ahead: the caller says so
        except ValueError:
            return None
    # No year: the latest such day that has been.
    return latest_day_month(day, month, today)


def next_day_month(day: int, month: int, today: date, *, today_too: bool) -> date | None:
    """The next ``day/month`` after today (or today, with ``today_too``), None if none."""
    for year in (today.year, today.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found > today or (today_too and found == today):
            return found
    return None


def _clock(hour: int, minute: int) -> time | None:
    if 0 <= hour <= 24 and 0 <= minute < 60:
        return time(hour % 24, minute)
    return None


def _with_period(clock: time, period: time) -> time:
    """ "7h" with "tối" is 19:00; "2h" with "chiều" is 14:00; "2h đêm" stays 02:00."""
    hour = clock.hour
    evening = period.hour >= 13 and hour < 12 and not (period.hour >= 22 and hour < 6)
    if evening or (period.hour == 12 and 1 <= hour < 5):
        hour += 12
    return clock.replace(hour=hour)


class DateReader:
    """Reads date and time expressions at positions of one message's tokens."""

    __slots__ = ("_dw", "_kinds", "_lex", "_n", "_starters", "_today", "_tokens", "_words")

    def __init__(self, lexicon: Lexicon, tokens: Tokens, today: date) -> None:
        self._lex = lexicon
        self._dw: DateWords = lexicon.dates
        self._tokens = tokens
        self._words = tokens.words
        self._kinds = tokens.kinds
        self._n = len(tokens.kinds)
        self._today = today
        self._starters = self._dw.starters  # a quick first test for every word

    def _word(self, i: int) -> str:
        return self._words[i] if i < self._n and self._kinds[i] == WORD else ""

    def _number(self, i: int) -> int | None:
        if i < self._n and self._kinds[i] == NUM and self._words[i].isdigit():
            text = self._words[i]
            return int(text) if len(text) <= 4 else None
        return None

    def _continues_number(self, i: int) -> bool:
        """Whether token ``i`` would make the number before it a sum ("thứ hai trăm…")."""
        if i >= self._n:
            return False
        if self._kinds[i] == NUM:
            return True
        word = self._word(i)
        if word in NUMERAL_WORDS or word in self._lex.weak_units:
            return True
        unit = self._lex.units.match(self._words, i) if word else None
        return unit is not None and unit[1] > 1  # "đóng" folds like "đồng"

    def read(self, i: int, *, at_start: bool) -> DateHit | None:
        """The date or time expression starting at token ``i``, if any."""
        kind = self._kinds[i]
        if kind == DATE:
            day = read_day_month(self._words[i], self._today)
            if day is None:
                return None
            if day > self._today:  # "1/1/2099": a date not yet come, never today's
                return DateHit(i + 1, day, None, future=True)
            return self._then_period(DateHit(i + 1, day, None))
        if kind == TIME:
            clock = self._read_time_token(self._words[i])
            if clock is None:
                return None
            return self._then_period(DateHit(i + 1, None, clock))
        if kind == NUM:
            return self._numeric(i)
        if kind != WORD or self._words[i] not in self._starters:
            return None
        return self._words_at(i, at_start=at_start)

    # -- numbers: "7 giờ 30", "3 ngày trước" -----------------------------------------

    @staticmethod
    def _read_time_token(text: str) -> time | None:
        for mark in (":", "h", "g"):
            if mark in text:
                hour, _, minute = text.partition(mark)
                return _clock(int(hour), int(minute) if minute else 0)
        return None

    def _numeric(self, i: int) -> DateHit | None:
        value = self._number(i)
        if value is None:
            return None
        word = self._word(i + 1)
        if word in self._dw.clock_words:
            return self._clock_words(i, value)
        if word in self._dw.month_lead and self._word(i + 2) in self._dw.ago and value <= 120:
            return DateHit(i + 3, self._month_back(value), None)  # "2 tháng trước"
        if word in self._dw.ago_units and self._word(i + 2) in self._dw.ago:
            days = value * self._dw.ago_units[word]
            if days > 3660:
                return None
            return DateHit(i + 3, self._today - timedelta(days=days), None)
        return None

    def _clock_words(self, i: int, hour: int) -> DateHit | None:
        # "7 giờ" alone may count hours worked: a time only with minutes, "rưỡi", a time
        # of day after it, or "lúc" before it.
        j = i + 2
        minute = 0
        following = self._number(j)
        if following is not None and following < 60:
            minute, j = following, j + 1
        elif self._word(j) in self._dw.half:
            minute, j = 30, j + 1
        else:
            period_after = bool(self._word(j)) and self._dw.periods.match(self._words, j)
            lead_before = i > 0 and self._word(i - 1) in self._dw.period_lead
            if not (period_after or lead_before):
                return None
        clock = _clock(hour, minute)
        if clock is None:
            return None
        return self._then_period(DateHit(j, None, clock))

    def _then_period(self, hit: DateHit) -> DateHit:
        """A time of day after a date or a clock time: "7h tối", "15/3 sáng"."""
        if not self._word(hit.end):
            return hit
        period = self._dw.periods.match(self._words, hit.end)
        if period is None:
            return hit
        size, at = period
        end = hit.end + size
        day = hit.day
        relative = self._dw.period_relative.match(self._words, end) if self._word(end) else None
        if relative is not None:
            end += relative[0]
            day = self._today - timedelta(days=relative[1])
        clock = _with_period(hit.clock, at) if hit.clock is not None else at
        return DateHit(end, day, clock)

    # -- words -------------------------------------------------------------------------

    def _words_at(self, i: int, *, at_start: bool) -> DateHit | None:
        dw = self._dw
        words = self._words
        today = self._today
        word = words[i]
        found = dw.future.match(words, i)
        if found is not None:
            return DateHit(i + found[0], None, None, future=True)
        if at_start and word in dw.future_at_start:
            return DateHit(i + 1, None, None, future=True)
        back = dw.months_back.match(words, i)
        if back is not None:
            return DateHit(i + back[0], self._month_back(back[1]), None)
        found = dw.vague.match(words, i)
        if found is not None:
            return DateHit(i + found[0], None, None)
        relative = dw.relative.match(words, i)
        if relative is not None:
            return self._then_period(
                DateHit(i + relative[0], today - timedelta(days=relative[1]), None)
            )
        period = dw.periods.match(words, i)
        if period is not None:
            return self._period(i, i + period[0], period[1], lead=None)
        if word in dw.period_lead and self._word(i + 1):
            period = dw.periods.match(words, i + 1)
            if period is not None:
                return self._period(i, i + 1 + period[0], period[1], lead=word)
        weekday = self._weekday(i)
        if weekday is not None:
            return weekday
        if word in dw.day_lead:
            return self._day_of_month(i)
        if word in dw.month_lead:
            return self._month(i)
        number = self._number(i + 1)
        if number is None:
            return None
        if word in dw.year_lead and 1900 <= number <= 2100 and len(words[i + 1]) == 4:
            return DateHit(i + 2, None, None)  # "năm 2026": not a sum
        return None

    def _month_back(self, months: int) -> date:
        """The last day of the month ``months`` before this one."""
        year, month = divmod(self._today.year * 12 + self._today.month - 1 - months, 12)
        return date(year, month + 1, calendar.monthrange(year, month + 1)[1])

    def _month(self, i: int) -> DateHit | None:
        """ "tháng 11", "tháng 11/2026", "tháng 3 năm 2025", "tháng giêng": that month,
        the latest not in the future, dated its last day (today in this month)."""
        dw = self._dw
        j = i + 1
        month = self._number(j)
        if month is not None:
            j += 1
        elif self._word(j):
            named = dw.month_names.match(self._words, j)
            if named is None:
                return None
            month, j = named[1], j + named[0]
        if month is None or not 1 <= month <= 12:
            return None
        written = self._year_after(j)
        year: int | None = None
        if written is not None:
            year, j = written
        elif (self._kinds[j - 1] != NUM or (j < self._n and self._kinds[j] != NUM)) and (
            self._continues_number(j)
        ):
            return None  # "tháng 3 triệu" is a sum; "tháng 11 5 triệu" a month and a sum
        if i > 0 and self._word(i - 1) in dw.month_not_entry:
            return DateHit(j, None, None)  # "hạn tháng 6": a due date, not the entry's
        today = self._today
        if year is None:
            year = today.year if month <= today.month else today.year - 1
        if (year, month) > (today.year, today.month):
            return DateHit(j, None, None, future=True)
        if (year, month) == (today.year, today.month):
            return DateHit(j, today, None)
        return DateHit(j, date(year, month, calendar.monthrange(year, month)[1]), None)

    def _year_after(self, j: int) -> tuple[int, int] | None:
        """A year after a month: "/2026", "/26", "năm 2026" → (year, index after it)."""
        if j + 1 < self._n and self._kinds[j] == SYM and self._words[j] == "/":
            number = self._number(j + 1)
            if number is not None:
                year = _full_year(self._words[j + 1])
                return (year, j + 2) if year is not None else None
        if self._word(j) in self._dw.year_lead:
            number = self._number(j + 1)
            if number is not None and len(self._words[j + 1]) == 4:
                return number, j + 2
        number = self._number(j)
        if number is not None and len(self._words[j]) == 4 and 1900 <= number <= 2100:
            return number, j + 1
        return None

    def _period(self, start: int, end: int, at: time, *, lead: str | None) -> DateHit | None:
        """ "sáng nay", "tối qua", "chiều thứ hai", "hồi sáng"."""
        dw = self._dw
        words = self._words
        today = self._today
        if end < self._n and self._kinds[end] == DATE:  # "sáng 15/3"
            day = read_day_month(words[end], today)
            if day is not None:
                return DateHit(end + 1, day, at, future=day > today)
        if self._word(end):
            relative = dw.period_relative.match(words, end)
            if relative is not None:
                return DateHit(end + relative[0], today - timedelta(days=relative[1]), at)
            weekday = self._weekday(end)
            if weekday is not None:
                return weekday._replace(clock=at)
            if words[end] in dw.day_lead:
                hit = self._day_of_month(end)
                if hit is not None:
                    return hit._replace(clock=at)
        if lead is None:
            # "sáng" alone may be another word ("tối" folds like "tôi", "I")
            return None
        # "hồi tối", said the next morning, is last night
        day = today - timedelta(days=1) if lead == "hoi" and at in dw.past_night else today
        return DateHit(end, day, at)

    def _weekday(self, i: int) -> DateHit | None:
        dw = self._dw
        words = self._words
        sunday = dw.sunday.match(words, i)
        if sunday is not None:
            end, weekday = i + sunday[0], 6
        elif words[i] in dw.weekday_lead and i + 1 < self._n:
            following = words[i + 1]
            if self._kinds[i + 1] == NUM:
                if not (following.isdigit() and len(following) == 1 and "2" <= following <= "7"):
                    return None
                # "t2" only when written together; "thu 2 triệu" is not Tuesday's sum
                if words[i] == "t" and not self._tokens.attached(i + 1):
                    return None
                weekday = int(following) - 2
            elif self._kinds[i + 1] == WORD and following in dw.weekday_words:
                weekday = dw.weekday_words[following]
            else:
                return None
            end = i + 2
            if self._continues_number(end):
                return None
        else:
            return None
        day = latest_weekday(weekday, self._today)
        if self._word(end):
            previous = dw.previous_week.match(words, end)
            if previous is not None:
                end += previous[0]
                day = self._today - timedelta(days=self._today.weekday() + 7 - weekday)
        return self._then_period(DateHit(end, day, None))

    def _day_of_month(self, i: int) -> DateHit | None:
        """ "ngày 15", "mùng 5", "ngày 15 tháng 3", "ngày 15/3"."""
        j = i + 1
        if j < self._n and self._kinds[j] == DATE:
            day = read_day_month(self._words[j], self._today)
            if day is None:
                return None
            return DateHit(j + 1, day, None, future=day > self._today)
        number = self._number(j)
        if number is None:
            number = DIGITS.get(self._word(j)) if self._word(j + 1) != "muoi" else None
        if number is None or not 1 <= number <= 31:
            return None
        if self._continues_number(j + 1):
            return None
        if self._word(j + 1) in self._dw.month_lead:
            month = self._number(j + 2)
            if month is not None and 1 <= month <= 12:
                in_month = latest_day_month(number, month, self._today)
                return DateHit(j + 3, in_month, None) if in_month is not None else None
        found = latest_day_of_month(number, self._today)
        return self._then_period(DateHit(j + 1, found, None)) if found is not None else None
