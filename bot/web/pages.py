"""What the web pages show, read in a few queries for the whole area (never one per
household): the month's rows come from the monthly report, the rest from grouped reads.

Which households an officer sees is :func:`bot.services.people.people.visible_household_ids`,
the chat's own rule; every function here takes those ids and reads nothing outside them.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.diary import loans
from bot.services.diary.ledger import SPENDING_KINDS, Period, Totals
from bot.services.people import people
from bot.services.reports import reports
from models import (
    Alert,
    Area,
    Audit,
    Case,
    Contact,
    Entry,
    Household,
    HouseholdActivity,
    Loan,
    Meeting,
    MeetingInvite,
    Milestone,
    Officer,
    Plan,
)

SEVERITY_RANK = {"high": 0, "normal": 1, "low": 2}
WAITING_CASES = ("open", "taken")
DIARY_ROWS = 60
TRAIL_ROWS = 30
CHART_MONTHS = 12
LOANS_DUE_DAYS = 7


@dataclass(frozen=True, slots=True)
class Row:
    """One household in the area's table: the month's report row and what the web adds."""

    report: reports.HouseholdRow
    writing_week: bool
    joined: bool  # a consenting chat now (the report's is as of its month's end)
    activities: tuple[str, ...]
    open_alerts: int  # now, not at the report's reading
    open_cases: int

    @property
    def net(self) -> int:
        return self.report.income - self.report.production_cost - self.report.interest


@dataclass
class Figures:
    """The overview's numbers of a group of households (the area, or one hamlet)."""

    name: str
    households: int = 0
    joined: int = 0
    writing_week: int = 0
    writing_month: int = 0
    members_writing: int = 0
    net: int = 0
    above: int = 0
    below: int = 0
    open_alerts: int = 0
    open_cases: int = 0

    def add(self, row: Row) -> None:
        self.households += 1
        self.joined += row.joined
        self.writing_week += row.writing_week
        self.open_alerts += row.open_alerts
        self.open_cases += row.open_cases
        if row.report.entries:
            self.writing_month += 1
            self.members_writing += row.report.members
            self.net += row.net
            self.above += bool(row.report.above)
            self.below += not row.report.above

    @property
    def per_person(self) -> int:
        return self.net // max(1, self.members_writing)


def judged_month(today: date, settings: Settings) -> date:
    """This month once it has run ``[programme] poverty_verdict_days`` days, else the last
    whole month: two days of a diary say nothing about a month's income (as in chat)."""
    if today.day >= settings.programme.poverty_verdict_days:
        return today.replace(day=1)
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


async def officer_area(session: AsyncSession, officer: Officer) -> Area:
    area = await session.get(Area, officer.area_id)
    assert area is not None
    return area


class ReportCache:
    """Month reports of areas, kept for ``seconds``: a province's month is 120,000 diary
    entries to add up, too slow to do at every page (DHIS2 serves its dashboards from
    analytics tables rebuilt now and then for the same reason).  What an officer changes
    from the page (alerts, cases) is read fresh; income figures may be that old."""

    def __init__(self, seconds: float = 300.0) -> None:
        self.seconds = seconds
        self._kept: dict[tuple[str, date], tuple[float, reports.MonthlyReport]] = {}

    async def report(
        self, session: AsyncSession, area: Area, month: date, settings: Settings
    ) -> reports.MonthlyReport:
        key = (area.code, month)
        kept = self._kept.get(key)
        if kept is not None and time.monotonic() - kept[0] < self.seconds:
            return kept[1]
        report = await reports.monthly_report(
            session, area_code=area.code, month=month, settings=settings
        )
        self._kept[key] = (time.monotonic(), report)
        return report


async def area_meetings(
    session: AsyncSession, area: Area, *, coming_after: datetime | None = None
) -> list[Meeting]:
    """The meetings of the area and the areas below: those to come, soonest first, or the
    latest twenty."""
    query = select(Meeting).where(
        Meeting.area_id.in_(await people.descendant_area_ids(session, area.id))
    )
    if coming_after is None:
        return list(await session.scalars(query.order_by(Meeting.starts_at.desc()).limit(20)))
    query = query.where(Meeting.starts_at >= coming_after).order_by(Meeting.starts_at)
    return list(await session.scalars(query.limit(5)))


async def area_rows(
    session: AsyncSession,
    officer: Officer,
    visible: list[int],
    *,
    settings: Settings,
    today: date,
    cache: ReportCache,
) -> tuple[reports.MonthlyReport, list[Row]]:
    """The report of the month to judge (:func:`judged_month`) for the officer's area, cut
    to the households the officer sees."""
    area = await officer_area(session, officer)
    report = await cache.report(session, area, judged_month(today, settings), settings)
    open_alerts = dict(
        (
            await session.execute(
                select(Alert.household_id, func.count())
                .where(Alert.household_id.in_(visible), Alert.status != "resolved")
                .group_by(Alert.household_id)
            )
        )
        .tuples()
        .all()
    )
    last_entries = await last_entry_days(session, visible)
    joined = await joined_households(session, visible)
    codes = dict(
        (
            await session.execute(
                select(Household.code, Household.id).where(Household.id.in_(visible))
            )
        )
        .tuples()
        .all()
    )
    activities: defaultdict[int, list[str]] = defaultdict(list)
    for household_id, activity in await session.execute(
        select(HouseholdActivity.household_id, HouseholdActivity.activity).where(
            HouseholdActivity.household_id.in_(visible)
        )
    ):
        activities[household_id].append(activity)
    cases = dict(
        (
            await session.execute(
                select(Case.household_id, func.count())
                .where(Case.household_id.in_(visible), Case.status.in_(WAITING_CASES))
                .group_by(Case.household_id)
            )
        )
        .tuples()
        .all()
    )
    monday = today - timedelta(days=today.weekday())
    rows = [
        Row(
            report=row,
            writing_week=(last_entries.get(codes[row.code]) or date.min) >= monday,
            joined=codes[row.code] in joined,
            activities=tuple(sorted(activities[codes[row.code]])),
            open_alerts=int(open_alerts.get(codes[row.code], 0)),
            open_cases=int(cases.get(codes[row.code], 0)),
        )
        for row in report.households
        if row.code in codes
    ]
    return report, rows


async def last_entry_days(session: AsyncSession, visible: list[int]) -> dict[int, date | None]:
    """Each household's latest live diary day: one index probe a household (a grouped max
    would read all their entries)."""
    latest = (
        select(Entry.day)
        .where(Entry.household_id == Household.id, Entry.deleted_at.is_(None))
        .order_by(Entry.day.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(select(Household.id, latest).where(Household.id.in_(visible)))
    return dict(rows.tuples().all())


async def joined_households(session: AsyncSession, visible: list[int]) -> set[int]:
    """The households with a consenting chat account now."""
    return set(
        await session.scalars(
            select(Contact.household_id).where(
                Contact.household_id.in_(visible), Contact.consent_at.is_not(None)
            )
        )
    )


def overview(rows: list[Row]) -> tuple[Figures, list[Figures]]:
    """The area's figures and each place's (commune · hamlet), places in order."""
    whole = Figures("")
    places: dict[str, Figures] = {}
    for row in rows:
        whole.add(row)
        name = place_of(row)
        places.setdefault(name, Figures(name)).add(row)
    return whole, [places[name] for name in sorted(places)]


def place_of(row: Row) -> str:
    return " · ".join(part for part in (row.report.commune, row.report.hamlet) if part)


@dataclass(frozen=True, slots=True)
class Filters:
    """The households table's filters and order, as the query string gives them."""

    place: str = ""
    status: str = ""
    activity: str = ""
    writing: str = ""  # week | month | none | "" (all)
    line: str = ""  # above | below | none | ""
    alerts: bool = False
    cases: bool = False
    joined: str = ""  # yes | no | ""
    q: str = ""
    sort: str = "code"
    descending: bool = False

    def keep(self, row: Row) -> bool:
        report = row.report
        checks = (
            not self.place or place_of(row) == self.place or report.commune == self.place,
            not self.status or report.status == self.status,
            not self.activity or self.activity in row.activities,
            self.writing != "week" or row.writing_week,
            self.writing != "month" or report.entries > 0,
            self.writing != "none" or report.entries == 0,
            self.line != "above" or report.above is True,
            self.line != "below" or report.above is False,
            self.line != "none" or report.above is None,
            not self.alerts or row.open_alerts > 0,
            not self.cases or row.open_cases > 0,
            self.joined != "yes" or row.joined,
            self.joined != "no" or not row.joined,
            not self.q
            or self.q.casefold() in report.code.casefold()
            or self.q.casefold() in report.head_name.casefold(),
        )
        return all(checks)


SORT_KEYS = {
    "code": lambda row: row.report.code,
    "name": lambda row: row.report.head_name.casefold(),
    "place": place_of,
    "members": lambda row: row.report.members,
    "per_person": lambda row: row.report.per_person if row.report.entries else -(10**12),
    "last": lambda row: row.report.last_entry or date.min,
    "alerts": lambda row: row.open_alerts,
}


def table(rows: list[Row], filters: Filters) -> list[Row]:
    key = SORT_KEYS.get(filters.sort, SORT_KEYS["code"])
    return sorted((row for row in rows if filters.keep(row)), key=key, reverse=filters.descending)


# --- one household ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthBar:
    month: date
    income: int
    spending: int


@dataclass
class HouseholdPage:
    household: Household
    month: Totals
    bars: list[MonthBar]
    diary: list[Entry]
    loans: list[loans.LoanLedger]
    alerts: list[Alert]
    cases: list[Case]
    meetings: list[tuple[Meeting, MeetingInvite]]
    trail: list[Audit]
    milestones: list[Milestone] = field(default_factory=list)
    last_entry: date | None = None


def _months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = [first]
    while len(months) < count:
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return months[::-1]


async def household_page(
    session: AsyncSession, household: Household, *, today: date
) -> HouseholdPage:
    months = _months_back(today, CHART_MONTHS)
    by_month: defaultdict[date, Totals] = defaultdict(Totals)
    rows = await session.execute(
        select(Entry.day, Entry.kind, Entry.category, Entry.amount).where(
            Entry.household_id == household.id,
            Entry.deleted_at.is_(None),
            Entry.day >= months[0],
            Entry.day <= Period.month_of(today).end,
        )
    )
    for day, kind, category, amount in rows:
        by_month[day.replace(day=1)].add(kind, category, int(amount))
    bars = [
        MonthBar(m, by_month[m].income, sum(by_month[m].by_kind[k] for k in SPENDING_KINDS))
        for m in months
    ]
    diary = list(
        await session.scalars(
            select(Entry)
            .where(Entry.household_id == household.id, Entry.deleted_at.is_(None))
            .order_by(Entry.day.desc(), Entry.id.desc())
            .limit(DIARY_ROWS)
        )
    )
    plan_id = await session.scalar(select(Plan.id).where(Plan.household_id == household.id))
    milestones = (
        list(
            await session.scalars(
                select(Milestone).where(Milestone.plan_id == plan_id).order_by(Milestone.due_on)
            )
        )
        if plan_id
        else []
    )
    return HouseholdPage(
        household=household,
        month=by_month[today.replace(day=1)],
        bars=bars,
        diary=diary,
        loans=await loans.household_ledgers(session, household.id),
        alerts=list(
            await session.scalars(
                select(Alert)
                .where(Alert.household_id == household.id)
                .order_by(Alert.raised_at.desc())
                .limit(20)
            )
        ),
        cases=list(
            await session.scalars(
                select(Case)
                .where(Case.household_id == household.id)
                .order_by(Case.opened_at.desc())
                .limit(20)
            )
        ),
        meetings=[
            (meeting, invite)
            for meeting, invite in (
                await session.execute(
                    select(Meeting, MeetingInvite)
                    .join(MeetingInvite, MeetingInvite.meeting_id == Meeting.id)
                    .where(MeetingInvite.household_id == household.id)
                    .order_by(Meeting.starts_at.desc())
                    .limit(10)
                )
            ).tuples()
        ],
        trail=list(
            await session.scalars(
                select(Audit)
                .where(Audit.household_id == household.id)
                .order_by(Audit.at.desc(), Audit.id.desc())
                .limit(TRAIL_ROWS)
            )
        ),
        milestones=milestones,
        last_entry=await session.scalar(
            select(func.max(Entry.day)).where(
                Entry.household_id == household.id, Entry.deleted_at.is_(None)
            )
        ),
    )


# --- what needs the officer today ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    """One line of the due list; ``overdue`` lines are shown in red, first."""

    kind: str  # alert | case | silent | loan | milestone
    household: Household
    since: datetime | date | None
    overdue: bool
    alert: Alert | None = None
    case: Case | None = None
    loan: loans.LoanLedger | None = None
    milestone: Milestone | None = None


async def due_list(
    session: AsyncSession, visible: list[int], *, settings: Settings, now: datetime, today: date
) -> list[Due]:
    # (rank, household id, the line but its household): households are read at the end,
    # only those named.
    found: list[tuple[tuple[int, int, str], int, Callable[[Household], Due]]] = []
    late_alert = now - timedelta(hours=settings.alerts.escalate_after_hours)
    for alert in await session.scalars(
        select(Alert).where(Alert.household_id.in_(visible), Alert.status != "resolved")
    ):
        overdue = alert.status == "open" and alert.raised_at <= late_alert
        due = partial(Due, "alert", since=alert.raised_at, overdue=overdue, alert=alert)
        rank = 0 if alert.severity == "high" else 1
        found.append(((not overdue, rank, alert.raised_at.isoformat()), alert.household_id, due))
    late_case = now - timedelta(days=settings.programme.case_answer_days)
    for case in await session.scalars(
        select(Case).where(Case.household_id.in_(visible), Case.status.in_(WAITING_CASES))
    ):
        overdue = case.opened_at <= late_case
        due = partial(Due, "case", since=case.opened_at, overdue=overdue, case=case)
        found.append(((not overdue, 1, case.opened_at.isoformat()), case.household_id, due))
    for ledger in await loans.ledgers(
        session,
        Loan.household_id.in_(visible),
        Loan.due_on <= today + timedelta(days=LOANS_DUE_DAYS),
        open_only=True,
    ):
        day = ledger.loan.due_on
        assert day is not None
        overdue = day < today
        due = partial(Due, "loan", since=day, overdue=overdue, loan=ledger)
        found.append(((not overdue, 2, day.isoformat()), ledger.loan.household_id, due))
    for milestone, household_id in await session.execute(
        select(Milestone, Plan.household_id)
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(
            Plan.household_id.in_(visible),
            (Milestone.state == "missed")
            | ((Milestone.state == "pending") & (Milestone.due_on < today)),
        )
    ):
        due = partial(Due, "milestone", since=milestone.due_on, overdue=True, milestone=milestone)
        found.append(((False, 3, milestone.due_on.isoformat()), household_id, due))
    silent_since = today - timedelta(days=settings.reminders.silent_days)
    joined = await joined_households(session, visible)
    for household_id, last_day in (await last_entry_days(session, visible)).items():
        if household_id in joined and (last_day is None or last_day < silent_since):
            due = partial(Due, "silent", since=last_day, overdue=False)
            found.append(((True, 4, (last_day or date.min).isoformat()), household_id, due))
    found.sort(key=lambda item: (item[0], item[1]))
    named = {household_id for _rank, household_id, _due in found}
    households = {
        h.id: h for h in await session.scalars(select(Household).where(Household.id.in_(named)))
    }
    return [due(households[household_id]) for _rank, household_id, due in found]


def counts(items: list[Due]) -> Counter[str]:
    return Counter(item.kind for item in items)
