"""Income per person against the poverty line that applies (DESIGN §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.config import PovertyLine
from bot.services.diary.ledger import Totals


@dataclass(frozen=True, slots=True)
class Standing:
    per_person: int  # đồng per person for the month
    line: int  # the poverty line that applies (đồng per person per month)
    decree: str
    above: bool


def line_for(lines: list[PovertyLine], month: date) -> PovertyLine:
    """The line in force on the month's first day (the latest one, if several match)."""
    first = month.replace(day=1)
    matching = [
        line
        for line in lines
        if line.valid_from <= first and (line.valid_to is None or first <= line.valid_to)
    ]
    if not matching:
        matching = sorted(lines, key=lambda line: line.valid_from)[:1]
    return max(matching, key=lambda line: line.valid_from)


def standing(
    totals: Totals, *, members: int, urban: bool, month: date, lines: list[PovertyLine]
) -> Standing:
    """(income − production costs − interest) ÷ members, against the urban or rural line.
    Borrowed, lent, saved or collected money is not income and changes nothing here."""
    line = line_for(lines, month)
    per_person = totals.net_income // max(1, members)
    threshold = line.urban if urban else line.rural
    return Standing(per_person, threshold, line.decree, per_person > threshold)
