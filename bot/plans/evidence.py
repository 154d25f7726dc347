"""Which livelihood activities pay, across the households of an area (issue 17, item 5).

For each activity: how many households follow it, and over the months covered (the
months of the window in which a household wrote anything in its diary), the spread of
its profit per month and of its profit per đồng spent, and the share of its households
whose income per person was above the poverty line.

Quartiles are taken by nearest rank (the value at rank ⌈q·n⌉ of the sorted values), so
every figure is one household's figure, in whole đồng: no averaging of two middles.

Escapes from poverty (``bot.plans.status``) are counted by activity and by area: a
household escaped when its status became ``escaped`` in the window, sustainably when it
did not go back within 12 months (judged as of the report's day).

The work is a fixed number of grouped queries over the whole area, whatever its size:
no query per household.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PovertyLine
from bot.plans import status
from bot.plans.catalogue import COUNTED_KINDS, Catalogue
from bot.services.diary.ledger import Period
from bot.services.diary.poverty import line_for
from bot.services.people.people import descendant_area_ids
from models import Area, Entry, EntryActivity, Household, HouseholdActivity


class EvidenceError(ValueError):
    """The report cannot be made as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class Spread:
    """Nearest-rank quartiles of some households' figures."""

    n: int
    q1: float | None
    median: float | None
    q3: float | None

    @classmethod
    def of(cls, values: list[int] | list[float]) -> Spread:
        ordered = sorted(values)
        if not ordered:
            return cls(0, None, None, None)

        def rank(q: float) -> float:
            return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

        return cls(len(ordered), rank(0.25), rank(0.5), rank(0.75))

    def as_json(self) -> dict[str, Any]:
        return {"n": self.n, "q1": self.q1, "median": self.median, "q3": self.q3}


@dataclass(frozen=True, slots=True)
class ActivityEvidence:
    code: str
    name: str
    households: int  # following the activity
    with_data: int  # of them, those that wrote in the window
    household_months: int  # months covered, summed over those households
    money_in: int
    money_out: int
    profit_per_month: Spread  # đồng per household per month
    profit_per_dong: Spread  # profit ÷ money out, households that spent anything
    above_line: int  # households with income per person above the line
    escaped: int = 0  # households that escaped poverty in the window
    escaped_sustainably: int = 0  # of them, not back within 12 months (as of the report)

    @property
    def profit(self) -> int:
        return self.money_in - self.money_out

    @property
    def share_above(self) -> float | None:
        return None if self.with_data == 0 else self.above_line / self.with_data


@dataclass(frozen=True, slots=True)
class AreaEscapes:
    """How many households of one area escaped poverty in the window, and stayed out."""

    code: str
    name: str
    households: int
    escaped: int
    escaped_sustainably: int


@dataclass(frozen=True, slots=True)
class ModelsReport:
    area: str
    area_name: str
    start: date
    end: date
    months: int
    line: PovertyLine
    activities: list[ActivityEvidence]
    areas: list[AreaEscapes]
    as_of: date

    def as_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "area_name": self.area_name,
            "from": self.start.strftime("%Y-%m"),
            "to": self.end.strftime("%Y-%m"),
            "months": self.months,
            "poverty_line": {
                "decree": self.line.decree,
                "rural": self.line.rural,
                "urban": self.line.urban,
            },
            "activities": [
                {
                    "code": a.code,
                    "name": a.name,
                    "households": a.households,
                    "households_with_data": a.with_data,
                    "household_months": a.household_months,
                    "money_in": a.money_in,
                    "money_out": a.money_out,
                    "profit": a.profit,
                    "profit_per_month": a.profit_per_month.as_json(),
                    "profit_per_dong_spent": a.profit_per_dong.as_json(),
                    "above_line": a.above_line,
                    "share_above_line": a.share_above,
                    "escaped": a.escaped,
                    "escaped_sustainably": a.escaped_sustainably,
                }
                for a in self.activities
            ],
            "areas": [
                {
                    "code": a.code,
                    "name": a.name,
                    "households": a.households,
                    "escaped": a.escaped,
                    "escaped_sustainably": a.escaped_sustainably,
                }
                for a in self.areas
            ],
            "as_of": self.as_of.isoformat(),
        }


def month_key(session: AsyncSession, day: SQLColumnExpression[date]) -> ColumnElement[str]:
    """A date's month as "YYYY-MM" on either database."""
    if session.bind.dialect.name == "postgresql":
        return func.to_char(day, "YYYY-MM")
    return func.strftime("%Y-%m", day)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


async def models_report(
    session: AsyncSession,
    *,
    area_code: str,
    start: date,
    end: date,
    catalogue: Catalogue,
    lines: list[PovertyLine],
    today: date,
    locale: str = "vi",
) -> ModelsReport:
    """The evidence of ``area_code`` (and the areas below it) from the month of
    ``start`` to the month of ``end``, both whole; whether an escape lasted is judged
    as of ``today``."""
    area = await session.scalar(select(Area).where(Area.code == area_code))
    if area is None:
        raise EvidenceError(f"no area with code {area_code!r}")
    first, last = start.replace(day=1), Period.month_of(end).end
    if first > last:
        raise EvidenceError("--from is after --to")
    area_ids = await descendant_area_ids(session, area.id)
    in_area = select(Household.id).where(Household.area_id.in_(area_ids)).scalar_subquery()
    window = (
        Entry.household_id.in_(in_area),
        Entry.deleted_at.is_(None),
        Entry.day >= first,
        Entry.day <= last,
    )

    people: dict[int, tuple[int, bool]] = {}
    area_of: dict[int, int] = {}
    for hid, members, urban, area_id in await session.execute(
        select(Household.id, Household.members, Household.urban, Household.area_id).where(
            Household.area_id.in_(area_ids)
        )
    ):
        people[hid], area_of[hid] = (members, urban), area_id
    history = await status.histories(session, list(people))
    escaped: dict[int, bool] = {}  # household → escaped in the window: sustainably?
    for hid, changes in history.items():
        day = status.escaped_on(changes, first, last)
        if day is not None:
            escaped[hid] = status.sustained(changes, day, today) is True
    followers: dict[str, list[int]] = defaultdict(list)
    for hid, code in await session.execute(
        select(HouseholdActivity.household_id, HouseholdActivity.activity).where(
            HouseholdActivity.household_id.in_(in_area)
        )
    ):
        followers[code].append(hid)
    money: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for hid, code, kind, amount in await session.execute(
        select(Entry.household_id, EntryActivity.activity, Entry.kind, func.sum(Entry.amount))
        .join(EntryActivity, EntryActivity.entry_id == Entry.id)
        .where(*window, Entry.kind.in_(COUNTED_KINDS))
        .group_by(Entry.household_id, EntryActivity.activity, Entry.kind)
    ):
        money[hid, code][0 if kind == "income" else 1] += int(amount)
    covered = dict(
        (hid, int(count))
        for hid, count in await session.execute(
            select(Entry.household_id, func.count(distinct(month_key(session, Entry.day))))
            .where(*window)
            .group_by(Entry.household_id)
        )
    )
    net_amount = case(
        (Entry.kind == "income", Entry.amount),
        (Entry.kind == "interest", -Entry.amount),
        ((Entry.kind == "expense") & (Entry.category == "production"), -Entry.amount),
        else_=0,
    )
    net = {
        hid: int(total)
        for hid, total in await session.execute(
            select(Entry.household_id, func.sum(net_amount))
            .where(*window)
            .group_by(Entry.household_id)
        )
    }

    line = line_for(lines, last)

    def above(hid: int) -> bool:
        members, urban = people[hid]
        per_person = net.get(hid, 0) // (max(1, members) * covered[hid])
        return bool(per_person > (line.urban if urban else line.rural))

    evidence: list[ActivityEvidence] = []
    for activity in catalogue.activities:
        households = followers.get(activity.code, [])
        if not households:
            continue
        writing = [hid for hid in households if covered.get(hid, 0) > 0]
        sums = [money.get((hid, activity.code), [0, 0]) for hid in writing]
        evidence.append(
            ActivityEvidence(
                code=activity.code,
                name=activity.name(locale),
                households=len(households),
                with_data=len(writing),
                household_months=sum(covered[hid] for hid in writing),
                money_in=sum(s[0] for s in sums),
                money_out=sum(s[1] for s in sums),
                profit_per_month=Spread.of(
                    [(s[0] - s[1]) // covered[hid] for hid, s in zip(writing, sums, strict=True)]
                ),
                profit_per_dong=Spread.of(
                    [round((s[0] - s[1]) / s[1], 4) for s in sums if s[1] > 0]
                ),
                above_line=sum(1 for hid in writing if above(hid)),
                escaped=sum(1 for hid in households if hid in escaped),
                escaped_sustainably=sum(1 for hid in households if escaped.get(hid)),
            )
        )
    names = dict(
        (row.id, (row.code, row.name))
        for row in await session.execute(
            select(Area.id, Area.code, Area.name).where(Area.id.in_(area_ids))
        )
    )
    areas = []
    for area_id in area_ids:
        members = [hid for hid, home in area_of.items() if home == area_id]
        if members:
            areas.append(
                AreaEscapes(
                    code=names[area_id][0],
                    name=names[area_id][1],
                    households=len(members),
                    escaped=sum(1 for hid in members if hid in escaped),
                    escaped_sustainably=sum(1 for hid in members if escaped.get(hid)),
                )
            )
    return ModelsReport(
        area=area.code,
        area_name=area.name,
        start=first,
        end=last,
        months=months_between(first, last),
        line=line,
        activities=evidence,
        areas=areas,
        as_of=today,
    )
