"""How a group's members are doing, from the plans' and the ledger's own figures: the
profit per month of the group's activity (its median, over the last whole months the
plans use) and how many members are above the poverty line.  Members are named only to
the officer; to the other members, only those who agreed to show their figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PovertyLine
from bot.groups.members import first_name, member_households
from bot.plans import tags
from bot.plans.evidence import Spread
from bot.plans.plans import RECENT_MONTHS, net_income, recent_months
from bot.services.diary.poverty import line_for
from models import GroupMember, Household, LinkGroup


@dataclass(frozen=True, slots=True)
class MemberFigure:
    household: Household
    profit_per_month: int  # of the activity (of every activity when the group has none)
    above_line: bool


@dataclass(frozen=True, slots=True)
class GroupFigures:
    members: int
    months: tuple[date, date]
    line: int  # the rural line (the urban one applies to urban members)
    decree: str
    rows: list[MemberFigure]  # the members that wrote about the activity, best first

    @property
    def profit(self) -> Spread:
        return Spread.of([row.profit_per_month for row in self.rows])

    @property
    def above_line(self) -> int:
        return sum(1 for row in self.rows if row.above_line)


async def figures(
    session: AsyncSession,
    group: LinkGroup,
    *,
    lines: list[PovertyLine],
    today: date,
    activity: str | None = None,
) -> GroupFigures:
    """The members' figures for ``activity`` (default: the group's own)."""
    households = await member_households(session, group.id)
    ids = [household.id for household in households]
    start, end = recent_months(today)
    money = await tags.money_by_activity(session, ids, start=start, end=end)
    net = await net_income(session, ids, start, end)
    line = line_for(lines, end)
    code = activity or group.activity
    rows = []
    for household in households:
        own = money.get(household.id, {})
        counted = [own[code]] if code in own else [] if code else list(own.values())
        if not counted:  # wrote nothing about the activity: no figure to compare
            continue
        profit = sum(m.profit for m in counted)
        per_person = net.get(household.id, 0) // (max(1, household.members) * RECENT_MONTHS)
        threshold = line.urban if household.urban else line.rural
        rows.append(MemberFigure(household, profit // RECENT_MONTHS, per_person > threshold))
    rows.sort(key=lambda row: -row.profit_per_month)
    return GroupFigures(len(households), (start, end), line.rural, line.decree, rows)


async def consenting(
    session: AsyncSession, group: LinkGroup, found: GroupFigures
) -> list[tuple[str, MemberFigure]]:
    """The rows of members who agreed to show their name and figures, with the name."""
    agreed = set(
        await session.scalars(
            select(GroupMember.household_id).where(
                GroupMember.group_id == group.id,
                GroupMember.state == "member",
                GroupMember.show_name.is_(True),
                GroupMember.show_figures.is_(True),
            )
        )
    )
    return [
        (first_name(row.household.head_name), row)
        for row in found.rows
        if row.household.id in agreed
    ]
