"""The annual review (rà soát hộ nghèo, Decree 07/2021/NĐ-CP and its successor): each
household's diary income per person over the year beside the income criterion, for the
officer to confirm.

The diary can speak only to income: the criteria of lacking basic social services
(health, education, housing, clean water, information) are left for the officer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PovertyLine
from bot.plans.evidence import EvidenceError, month_key
from bot.services.diary.poverty import line_for
from bot.services.people.people import descendant_area_ids
from models import Area, Entry, Household


@dataclass(frozen=True, slots=True)
class ReviewRow:
    code: str
    head_name: str
    hamlet: str | None
    members: int
    urban: bool
    status: str
    months: int  # months of the year with diary entries
    income: int
    production_cost: int
    interest: int
    line: int

    @property
    def per_person(self) -> int | None:
        """(income − production costs − interest) ÷ members ÷ months written."""
        if self.months == 0:
            return None
        return (self.income - self.production_cost - self.interest) // (
            max(1, self.members) * self.months
        )

    @property
    def above_line(self) -> bool | None:
        per_person = self.per_person
        return None if per_person is None else per_person > self.line

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "head_name": self.head_name,
            "members": self.members,
            "urban": self.urban,
            "status": self.status,
            "months": self.months,
            "income": self.income,
            "production_cost": self.production_cost,
            "interest": self.interest,
            "per_person": self.per_person,
            "line": self.line,
            "above_line": self.above_line,
        }


@dataclass(frozen=True, slots=True)
class Review:
    area: str
    area_name: str
    year: int
    line: PovertyLine
    rows: list[ReviewRow]


async def annual_review(
    session: AsyncSession, *, area_code: str, year: int, lines: list[PovertyLine]
) -> Review:
    area = await session.scalar(select(Area).where(Area.code == area_code))
    if area is None:
        raise EvidenceError(f"no area with code {area_code!r}")
    area_ids = await descendant_area_ids(session, area.id)
    first, last = date(year, 1, 1), date(year, 12, 31)
    line = line_for(lines, date(year, 12, 1))
    households = list(
        await session.scalars(
            select(Household).where(Household.area_id.in_(area_ids)).order_by(Household.code)
        )
    )
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    production = (Entry.kind == "expense") & (Entry.category == "production")
    bucket = case(
        (Entry.kind == "income", "income"),
        (Entry.kind == "interest", "interest"),
        (production, "production"),
        else_="other",
    )
    for hid, name, amount in await session.execute(
        select(Entry.household_id, bucket, func.sum(Entry.amount))
        .where(
            Entry.household_id.in_([h.id for h in households]),
            Entry.deleted_at.is_(None),
            Entry.day >= first,
            Entry.day <= last,
        )
        .group_by(Entry.household_id, bucket)
    ):
        sums[hid][name] += int(amount)
    months = dict(
        (hid, int(count))
        for hid, count in await session.execute(
            select(Entry.household_id, func.count(distinct(month_key(session, Entry.day))))
            .where(
                Entry.household_id.in_([h.id for h in households]),
                Entry.deleted_at.is_(None),
                Entry.day >= first,
                Entry.day <= last,
            )
            .group_by(Entry.household_id)
        )
    )
    rows = [
        ReviewRow(
            code=h.code,
            head_name=h.head_name,
            hamlet=h.hamlet,
            members=h.members,
            urban=h.urban,
            status=h.status,
            months=months.get(h.id, 0),
            income=sums[h.id]["income"],
            production_cost=sums[h.id]["production"],
            interest=sums[h.id]["interest"],
            line=line.urban if h.urban else line.rural,
        )
        for h in households
    ]
    return Review(area.code, area.name, year, line, rows)
