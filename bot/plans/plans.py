"""A household's plan out of poverty and its progress.

The target is income per person per month above the poverty line that applies (urban
or rural, the line in force in the target month) by ``target_month``.  Progress reads
the diary: each activity's money so far, and income per person over the last three
whole months, computed as everywhere ((income − production costs − interest) ÷ members).

Months behind: the most whole months any milestone still not done is past its date, or
that the target month is past with income still under the line.  Months ahead: the most
whole months a milestone was done before its date, when nothing is behind.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import PovertyLine, Settings
from bot.i18n import N_
from bot.plans import catalogue as catalogues
from bot.plans import tags
from bot.plans.catalogue import Catalogue
from bot.services.diary.ledger import Period
from bot.services.diary.poverty import line_for
from bot.services.people.people import descendant_area_ids
from models import Area, Entry, Household, HouseholdActivity, Milestone, Plan

# What a plan may connect the household to, and its label.
RESOURCES = {
    "loan": N_("Vốn vay"),
    "training": N_("Tập huấn"),
    "job": N_("Việc làm"),
    "housing": N_("Hỗ trợ nhà ở"),
    "health_insurance": N_("Bảo hiểm y tế"),
    "clean_water": N_("Nước sạch"),
}
RECENT_MONTHS = 3  # income per person is averaged over this many whole months

_MILESTONE = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})(?:-(\d{1,2}))?|(?:(\d{1,2})/)?(\d{1,2})/(\d{4}))(?!\d)"
    r"\s*[-–:,]?\s*(\S.*[^\W\d_].*|[^\W\d_])$"
)


class PlanError(ValueError):
    """What was asked of a plan is wrong; the message says what."""


def parse_milestone(text: str) -> tuple[date, str]:
    """ "2027-03-15 mua 2 con bò giống", "2027-03 …", "15/3/2027 …" or "3/2027 …" (a
    month alone means its last day)."""
    match = _MILESTONE.match(text)
    if match is None:
        raise PlanError(f"{text!r}: write the date first, e.g. 2027-03-15 mua 2 con bò giống")
    iso_year, iso_month, iso_day, vn_day, vn_month, vn_year, words = match.groups()
    year = int(iso_year or vn_year)
    month = int(iso_month or vn_month)
    day_text = iso_day or vn_day
    try:
        day = int(day_text) if day_text else calendar.monthrange(year, month)[1]
        return date(year, month, day), words.strip()[:300]
    except (ValueError, calendar.IllegalMonthError):
        raise PlanError(f"{text!r}: no such date") from None


def whole_months(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (0 when later is not a month on)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(0, months)


async def plan_of(session: AsyncSession, household_id: int) -> Plan | None:
    plan: Plan | None = await session.scalar(select(Plan).where(Plan.household_id == household_id))
    return plan


async def milestones_of(session: AsyncSession, plan_id: int) -> list[Milestone]:
    return list(
        await session.scalars(
            select(Milestone)
            .where(Milestone.plan_id == plan_id)
            .order_by(Milestone.due_on, Milestone.id)
        )
    )


async def set_plan(
    session: AsyncSession,
    household: Household,
    *,
    activities: list[str],
    catalogue: Catalogue,
    author: str,
    now: datetime,
    target_month: date | None = None,
    milestones: list[tuple[date, str]] | None = None,
    resources: list[str] | None = None,
) -> Plan:
    """Make or change the household's plan.  Activities replace the old ones (and past
    entries are tagged with the new ones); milestones, target and resources given
    replace the old ones, those not given stay."""
    unknown = [code for code in activities if code not in catalogue]
    if unknown:
        raise PlanError(f"unknown activity: {', '.join(unknown)} (see: sinhke activity list)")
    if not activities:
        raise PlanError("a plan needs at least one activity")
    wrong = [name for name in resources or [] if name not in RESOURCES]
    if wrong:
        raise PlanError(f"unknown resource: {', '.join(wrong)} (use: {', '.join(RESOURCES)})")
    plan = await plan_of(session, household.id)
    if plan is None:
        plan = Plan(household_id=household.id, author=author, resources=[], created_at=now)
        session.add(plan)
    plan.author, plan.updated_at = author, now
    if target_month is not None:
        plan.target_month = target_month.replace(day=1)
    if resources is not None:
        plan.resources = list(dict.fromkeys(resources))
    await session.flush()
    if milestones is not None:
        for old in await milestones_of(session, plan.id):
            await session.delete(old)
        for due_on, text in milestones:
            session.add(Milestone(plan_id=plan.id, due_on=due_on, text=text, state="pending"))
    await tags.follow(session, household.id, activities)
    await tags.tag_entries(session, household.id, None, catalogue=catalogue, now=now)
    await session.flush()
    return plan


@dataclass(frozen=True, slots=True)
class ActivityProgress:
    code: str
    name: str
    money: tags.Money


@dataclass(frozen=True, slots=True)
class MilestoneView:
    id: int
    due_on: date
    text: str
    state: str
    done_on: date | None


@dataclass
class PlanView:
    household: str
    activities: list[ActivityProgress]
    target_month: date | None
    resources: list[str]
    line: int  # the poverty line of the target (đồng per person per month)
    decree: str
    per_person: int  # income per person per month, the last RECENT_MONTHS whole months
    months: tuple[date, date]  # the first and last day those months cover
    today: date  # the day the view is of
    milestones: list[MilestoneView] = field(default_factory=list)
    months_behind: int = 0
    months_ahead: int = 0

    @property
    def above_line(self) -> bool:
        return self.per_person > self.line

    @property
    def progress_percent(self) -> int:
        return max(0, self.per_person * 100 // max(1, self.line))

    @property
    def overdue(self) -> list[MilestoneView]:
        """Milestones that did not happen: said so, or past their date and not done."""
        return [
            m
            for m in self.milestones
            if m.state == "missed" or (m.state == "pending" and m.due_on < self.today)
        ]

    @property
    def target_end(self) -> date | None:
        target = self.target_month
        if target is None:
            return None
        return target.replace(day=calendar.monthrange(target.year, target.month)[1])

    @property
    def target_missed(self) -> bool:
        end = self.target_end
        return end is not None and end < self.today and not self.above_line

    @property
    def on_track(self) -> bool:
        """Nothing past its date undone (even by days), and the target not missed."""
        return not self.overdue and not self.target_missed

    @property
    def next_milestone(self) -> MilestoneView | None:
        return next((m for m in self.milestones if m.state == "pending"), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "household": self.household,
            "activities": [
                {
                    "code": a.code,
                    "name": a.name,
                    "money_in": a.money.money_in,
                    "money_out": a.money.money_out,
                    "profit": a.money.profit,
                }
                for a in self.activities
            ],
            "target_month": self.target_month.strftime("%Y-%m") if self.target_month else None,
            "resources": self.resources,
            "poverty_line": self.line,
            "decree": self.decree,
            "per_person": self.per_person,
            "per_person_months": [self.months[0].isoformat(), self.months[1].isoformat()],
            "progress_percent": self.progress_percent,
            "above_line": self.above_line,
            "milestones": [
                {
                    "due_on": m.due_on.isoformat(),
                    "text": m.text,
                    "state": m.state,
                    "done_on": m.done_on.isoformat() if m.done_on else None,
                }
                for m in self.milestones
            ],
            "months_behind": self.months_behind,
            "months_ahead": self.months_ahead,
            "on_track": self.on_track,
            "as_of": self.today.isoformat(),
        }


def recent_months(today: date) -> tuple[date, date]:
    """The last RECENT_MONTHS whole months before ``today``'s month: first and last day."""
    first_this = today.replace(day=1)
    year, month = divmod(first_this.year * 12 + first_this.month - 1 - RECENT_MONTHS, 12)
    start = date(year, month + 1, 1)
    end = date.fromordinal(first_this.toordinal() - 1)
    return start, end


async def net_income(
    session: AsyncSession, household_ids: list[int], start: date, end: date
) -> dict[int, int]:
    """(income − production costs − interest) of each household over the span."""
    rows = await session.execute(
        select(Entry.household_id, Entry.kind, Entry.category, func.sum(Entry.amount))
        .where(
            Entry.household_id.in_(household_ids),
            Entry.deleted_at.is_(None),
            Entry.day >= start,
            Entry.day <= end,
            Entry.kind.in_(("income", "expense", "interest")),
        )
        .group_by(Entry.household_id, Entry.kind, Entry.category)
    )
    net: dict[int, int] = defaultdict(int)
    for household_id, kind, category, amount in rows:
        if kind == "income":
            net[household_id] += int(amount)
        elif kind == "interest" or category == "production":
            net[household_id] -= int(amount)
    return net


async def progress(
    session: AsyncSession,
    household: Household,
    *,
    catalogue: Catalogue,
    lines: list[PovertyLine],
    today: date,
    locale: str = "vi",
) -> PlanView | None:
    """The plan and how it goes as of ``today``; ``None`` when the household has none."""
    views = await progress_of(
        session, [household], catalogue=catalogue, lines=lines, today=today, locale=locale
    )
    return views.get(household.id)


async def progress_of(
    session: AsyncSession,
    households: list[Household],
    *,
    catalogue: Catalogue,
    lines: list[PovertyLine],
    today: date,
    locale: str = "vi",
) -> dict[int, PlanView]:
    """:func:`progress` of many households in a fixed number of queries (reports)."""
    ids = [household.id for household in households]
    plans = {
        plan.household_id: plan
        for plan in await session.scalars(select(Plan).where(Plan.household_id.in_(ids)))
    }
    if not plans:
        return {}
    followed: dict[int, list[str]] = defaultdict(list)
    for household_id, code in await session.execute(
        select(HouseholdActivity.household_id, HouseholdActivity.activity)
        .where(HouseholdActivity.household_id.in_(list(plans)))
        .order_by(HouseholdActivity.id)
    ):
        followed[household_id].append(code)
    steps: dict[int, list[MilestoneView]] = defaultdict(list)
    for m in await session.scalars(
        select(Milestone)
        .where(Milestone.plan_id.in_([plan.id for plan in plans.values()]))
        .order_by(Milestone.due_on, Milestone.id)
    ):
        steps[m.plan_id].append(MilestoneView(m.id, m.due_on, m.text, m.state, m.done_on))
    money = await tags.money_by_activity(session, list(plans), end=today)
    start, end = recent_months(today)
    net = await net_income(session, list(plans), start, end)
    views: dict[int, PlanView] = {}
    for household in households:
        plan = plans.get(household.id)
        if plan is None:
            continue
        own = money.get(household.id, {})
        line = line_for(lines, plan.target_month or today)
        view = PlanView(
            household=household.code,
            activities=[
                ActivityProgress(
                    code, catalogue.get(code).name(locale), own.get(code, tags.Money())
                )
                for code in followed[household.id]
                if code in catalogue
            ],
            target_month=plan.target_month,
            resources=list(plan.resources or []),
            line=line.urban if household.urban else line.rural,
            decree=line.decree,
            per_person=net[household.id] // (max(1, household.members) * RECENT_MONTHS),
            months=(start, end),
            today=today,
            milestones=steps[plan.id],
        )
        view.months_behind, view.months_ahead = schedule(view, today)
        views[household.id] = view
    return views


def schedule(view: PlanView, today: date) -> tuple[int, int]:
    """(months behind, months ahead) as of ``today`` (see the module's docstring)."""
    behind = [whole_months(m.due_on, today) for m in view.overdue]
    if view.target_missed and view.target_end is not None:
        behind.append(whole_months(view.target_end, today))
    if behind:
        return max(behind), 0
    ahead = [
        whole_months(m.done_on, m.due_on)
        for m in view.milestones
        if m.state == "done" and m.done_on is not None
    ]
    return 0, max(ahead, default=0)


async def area_progress(
    session: AsyncSession,
    area_ids: list[int],
    *,
    catalogue: Catalogue,
    lines: list[PovertyLine],
    today: date,
    locale: str = "vi",
) -> list[PlanView]:
    """The plans of the households of these areas and how they go, by household code."""
    households = list(
        await session.scalars(
            select(Household)
            .where(Household.area_id.in_(area_ids), Household.id.in_(select(Plan.household_id)))
            .order_by(Household.code)
        )
    )
    views = await progress_of(
        session, households, catalogue=catalogue, lines=lines, today=today, locale=locale
    )
    return [views[household.id] for household in households if household.id in views]


async def report_plans(
    session: AsyncSession, *, area_code: str, month: date, settings: Settings, now: datetime
) -> list[PlanView]:
    """The plans of an area (and the areas below) for its monthly report, as of the
    month's end, or today for the running month."""
    area_id = await session.scalar(select(Area.id).where(Area.code == area_code))
    if area_id is None:
        return []
    today = now.astimezone(ZoneInfo(settings.programme.timezone)).date()
    return await area_progress(
        session,
        await descendant_area_ids(session, area_id),
        catalogue=catalogues.default(),
        lines=settings.programme.poverty_lines,
        today=min(today, Period.month_of(month).end),
    )
