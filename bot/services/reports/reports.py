"""The monthly report of an area (issue 5, item 5); its Excel workbook is made by
:mod:`bot.services.rendering.report_book`.

The figures cover the area and every area below it (province → communes → hamlets): one
:class:`AreaSummary` for each, rolled up from one :class:`HouseholdRow` per household.
The heavy work is a fixed number of grouped SQL queries over the month's date range (the
diary through ``ix_entry_household_date``); nothing is queried once per household.

Conventions the report states in its header:

* per-person income = (income − production costs − interest) of the month ÷ members,
  against the poverty line in force on the month's first day (rural or urban line per
  household);
* spending is ordinary spending and interest on debts; money that only moves (borrowed,
  repaid, lent, collected, put aside in hụi or savings, taken out) is neither income nor
  spending and has its own columns;
* a household that wrote nothing in the month is "no data", neither above nor below;
* money is whole đồng; times are cut into months in the programme's time zone;
* loans count when disbursed by the month's end and not paid off by then (their figures
  from their entries up to that day); a loan's use is the household's spending from its
  disbursement to the month's end;
* a meeting counts when it is marked held.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, Select, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, aliased

from bot.config import PovertyLine, Settings
from bot.i18n import N_
from bot.services.diary import loans
from bot.services.diary.labels import INCOME_CATEGORIES
from bot.services.diary.ledger import Period, Totals
from bot.services.diary.poverty import line_for, standing
from bot.services.people.registry import area_by_code
from models import (
    Alert,
    Area,
    Case,
    Contact,
    Entry,
    Household,
    Loan,
    Meeting,
    MeetingInvite,
    utcnow,
)

STATUS_LABELS = {
    "poor": N_("Nghèo"),
    "near_poor": N_("Cận nghèo"),
    "escaped": N_("Đã thoát nghèo"),
}
AREA_KIND_LABELS = {"province": N_("Tỉnh"), "commune": N_("Xã"), "hamlet": N_("Thôn, ấp")}
MONEY = "#,##0"
DATE = "dd/mm/yyyy"
PERCENT = "0.0%"
HOURS = "#,##0.0"


# --- the report's shape -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaNode:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int  # 0 for the report's area


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    code: str
    head_name: str
    commune: str  # the commune (or higher area) the household belongs to
    hamlet: str  # the hamlet area, else the household's hamlet label, else ""
    members: int
    status: str  # poor | near_poor | escaped
    urban: bool
    joined: bool  # a chat account linked with consent by the month's end
    income: int
    production_cost: int
    other_spending: int  # ordinary spending other than production
    interest: int
    per_person: int  # (income − production cost − interest) ÷ members
    line: int  # the poverty line that applies to this household
    above: bool | None  # None: nothing written in the month
    entries: int  # live diary entries of the month
    last_entry: date | None  # the latest live entry up to the month's end
    open_alerts: int  # at the month's end
    loans_owed: int  # open loans' amount less repayments up to the month's end
    moved: Counter[str]  # the month's money by kind of LOANS_AND_SAVINGS_KINDS

    @property
    def spending(self) -> int:
        return self.production_cost + self.other_spending + self.interest


@dataclass
class AreaSummary:
    """The month's figures of one area, its households and the areas below it."""

    code: str
    name: str
    kind: str
    depth: int
    households: int = 0
    joined: int = 0
    writing: int = 0
    members_writing: int = 0
    income: int = 0
    production_cost: int = 0
    interest: int = 0
    spending: int = 0
    moved: Counter[str] = field(default_factory=Counter)  # by kind, as in HouseholdRow
    above_line: int = 0
    below_line: int = 0
    loans_open: int = 0
    loans_amount: int = 0
    loans_owed: int = 0
    loans_disbursed: int = 0
    loans_disbursed_amount: int = 0
    loans_misused: int = 0
    loan_spent: int = 0
    loan_spent_outside: int = 0
    alerts_raised: int = 0
    alerts_resolved: int = 0
    hours_to_resolve: list[float] = field(default_factory=list)
    alerts_open: int = 0
    cases_opened: int = 0
    cases_answered: int = 0
    meetings_held: int = 0
    meeting_invited: int = 0
    meeting_attended: int = 0

    @property
    def no_data(self) -> int:
        return self.households - self.writing

    @property
    def income_per_person(self) -> int:
        """Income ÷ members of the households that wrote in the month."""
        return self.income // max(1, self.members_writing)

    @property
    def spending_per_person(self) -> int:
        return self.spending // max(1, self.members_writing)

    @property
    def net_per_person(self) -> int:
        """(Income − production costs − interest) ÷ members: what the poverty line
        measures."""
        return (self.income - self.production_cost - self.interest) // max(1, self.members_writing)

    @property
    def loan_outside_share(self) -> float | None:
        return None if self.loan_spent == 0 else self.loan_spent_outside / self.loan_spent

    @property
    def median_hours_to_resolve(self) -> float | None:
        return statistics.median(self.hours_to_resolve) if self.hours_to_resolve else None

    @property
    def attendance(self) -> float | None:
        return None if self.meeting_invited == 0 else self.meeting_attended / self.meeting_invited


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    programme: str
    period: Period
    line: PovertyLine
    summary: AreaSummary  # the report's area, everything below it included
    areas: list[AreaSummary]  # every area below, each before its children
    households: list[HouseholdRow]
    income_by_category: Counter[str]
    spending_by_category: Counter[str]
    generated_at: datetime  # in the programme's time zone


# --- the month's window -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Window:
    period: Period
    start: datetime  # UTC, the month's first midnight in the programme's time zone
    end: datetime  # UTC, exclusive

    @classmethod
    def of(cls, month: date, timezone: str) -> _Window:
        period = Period.month_of(month)
        zone = ZoneInfo(timezone)

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(), zone).astimezone(UTC)

        return cls(period, midnight(period.start), midnight(period.end + timedelta(days=1)))

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def during(self, column: QueryableAttribute[Any]) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)


# --- reading the database ---------------------------------------------------------------


async def area_tree(session: AsyncSession, code: str) -> list[AreaNode]:
    """The area with ``code`` and every area below it, each before its children.

    Raises :class:`~bot.services.people.registry.RegistryError` for an unknown code."""
    root = await area_by_code(session, code)
    tree = select(Area.id).where(Area.id == root.id).cte("tree", recursive=True)
    child = aliased(Area)
    tree = tree.union_all(select(child.id).where(child.parent_id == tree.c.id))
    areas = await session.scalars(select(Area).where(Area.id.in_(select(tree.c.id))))
    children: defaultdict[int | None, list[Area]] = defaultdict(list)
    for area in areas:
        children[area.parent_id].append(area)

    def walk(area: Area, depth: int) -> Iterator[AreaNode]:
        yield AreaNode(area.id, area.code, area.name, area.kind, area.parent_id, depth)
        for below in sorted(children[area.id], key=lambda a: a.code):
            yield from walk(below, depth + 1)

    return list(walk(root, 0))


def _households_in(area_ids: list[int]) -> Select[tuple[int]]:
    return select(Household.id).where(Household.area_id.in_(area_ids))


async def _household_rows(
    session: AsyncSession, area_ids: list[int], window: _Window
) -> list[Row[Any]]:
    joined = exists().where(
        Contact.household_id == Household.id,
        Contact.consent_at.is_not(None),
        Contact.consent_at < window.end,
    )
    last_entry = (
        select(Entry.day)
        .where(
            Entry.household_id == Household.id,
            Entry.deleted_at.is_(None),
            Entry.day <= window.period.end,
        )
        .order_by(Entry.day.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Household.id,
            Household.code,
            Household.head_name,
            Household.members,
            Household.status,
            Household.urban,
            Household.area_id,
            Household.hamlet,
            joined.label("joined"),
            last_entry.label("last_entry"),
        ).where(Household.area_id.in_(area_ids))
    )
    return list(rows)


async def _entry_totals(
    session: AsyncSession, area_ids: list[int], period: Period
) -> dict[int, Totals]:
    rows = await session.execute(
        select(
            Entry.household_id,
            Entry.kind,
            Entry.category,
            func.sum(Entry.amount),
            func.count(Entry.id),
        )
        .where(
            Entry.household_id.in_(_households_in(area_ids)),
            Entry.day >= period.start,
            Entry.day <= period.end,
            Entry.deleted_at.is_(None),
        )
        .group_by(Entry.household_id, Entry.kind, Entry.category)
    )
    totals: defaultdict[int, Totals] = defaultdict(Totals)
    for household_id, kind, category, amount, count in rows:
        totals[household_id].add(kind, category, int(amount), int(count))
    return dict(totals)


@dataclass
class _LoanFacts:
    """One household's loans as the report counts them."""

    open: int = 0
    amount: int = 0
    owed: int = 0
    disbursed: int = 0
    disbursed_amount: int = 0
    misused: int = 0
    spent: int = 0
    spent_outside: int = 0


async def _loan_facts(
    session: AsyncSession, area_ids: list[int], period: Period, misuse_share: float
) -> dict[int, _LoanFacts]:
    """The area's debts as of the month's end (their figures from their entries up to
    then: a loan closed later still counts as open that month)."""
    debts = await loans.ledgers(
        session,
        Loan.household_id.in_(_households_in(area_ids)),
        until=period.end,
        direction=loans.BORROWED,
    )
    uses = await loans.uses_of(session, [d for d in debts if not d.closed], until=period.end)
    facts: defaultdict[int, _LoanFacts] = defaultdict(_LoanFacts)
    for debt in debts:
        found = facts[debt.loan.household_id]
        if period.start <= debt.since:
            found.disbursed += 1
            found.disbursed_amount += debt.principal
        if debt.closed:
            continue
        found.open += 1
        found.amount += debt.principal
        found.owed += debt.owed
        use = uses.get(debt.id, loans.LoanUse())
        found.spent += use.spent
        found.spent_outside += use.spent - use.on_purpose
        found.misused += use.spent > 0 and use.outside_share >= misuse_share
    return dict(facts)


async def _alerts(session: AsyncSession, area_ids: list[int], window: _Window) -> list[Row[Any]]:
    """Alerts raised in the month, resolved in it, or open at some point of it."""
    rows = await session.execute(
        select(Alert.household_id, Alert.raised_at, Alert.resolved_at).where(
            Alert.household_id.in_(_households_in(area_ids)),
            Alert.raised_at < window.end,
            or_(Alert.resolved_at.is_(None), Alert.resolved_at >= window.start),
        )
    )
    return list(rows)


async def _cases(session: AsyncSession, area_ids: list[int], window: _Window) -> list[Row[Any]]:
    rows = await session.execute(
        select(Case.household_id, Case.opened_at, Case.answered_at).where(
            Case.household_id.in_(_households_in(area_ids)),
            or_(window.during(Case.opened_at), window.during(Case.answered_at)),
        )
    )
    return list(rows)


async def _meetings(session: AsyncSession, area_ids: list[int], window: _Window) -> list[Row[Any]]:
    """Per meeting held in the month: its area, households invited, households attending."""
    rows = await session.execute(
        select(
            Meeting.area_id,
            func.count(MeetingInvite.id),
            func.coalesce(func.sum(case((MeetingInvite.attended.is_(True), 1), else_=0)), 0),
        )
        .outerjoin(MeetingInvite, MeetingInvite.meeting_id == Meeting.id)
        .where(
            Meeting.area_id.in_(area_ids),
            Meeting.held.is_(True),
            window.during(Meeting.starts_at),
        )
        .group_by(Meeting.id, Meeting.area_id)
    )
    return list(rows)


# --- putting it together ----------------------------------------------------------------


async def monthly_report(
    session: AsyncSession, *, area_code: str, month: date, settings: Settings
) -> MonthlyReport:
    """The report of ``month`` (any day of it) for the area and every area below it."""
    programme = settings.programme
    window = _Window.of(month, programme.timezone)
    nodes = await area_tree(session, area_code)
    area_ids = [node.id for node in nodes]
    line = line_for(programme.poverty_lines, window.period.start)

    households = await _household_rows(session, area_ids, window)
    totals = await _entry_totals(session, area_ids, window.period)
    loans = await _loan_facts(session, area_ids, window.period, settings.alerts.loan_misuse_share)
    alerts = await _alerts(session, area_ids, window)
    cases = await _cases(session, area_ids, window)
    meetings = await _meetings(session, area_ids, window)

    summaries = {
        node.id: AreaSummary(node.code, node.name, node.kind, node.depth) for node in nodes
    }
    chains = _chains(nodes, summaries)
    area_of = {row.id: row.area_id for row in households}
    open_alerts = _count_alerts(alerts, window, area_of, chains)
    _count_cases(cases, window, area_of, chains)
    _count_meetings(meetings, chains)

    rows: list[HouseholdRow] = []
    income_by_category: Counter[str] = Counter()
    spending_by_category: Counter[str] = Counter()
    by_id = {node.id: node for node in nodes}
    for household in households:
        found = totals.get(household.id, Totals())
        row = _household_row(
            household,
            totals=found,
            loans=loans.get(household.id, _LoanFacts()),
            open_alerts=open_alerts[household.id],
            line=line,
            month=window.period.start,
            place=_place(by_id, household.area_id, household.hamlet),
        )
        rows.append(row)
        for summary in chains[household.area_id]:
            _add_household(summary, row, loans.get(household.id, _LoanFacts()))
        for category, amount in found.by_category.items():
            target = income_by_category if category in INCOME_CATEGORIES else spending_by_category
            target[category] += amount
    rows.sort(key=lambda row: (row.commune, row.hamlet, row.code))
    return MonthlyReport(
        programme=programme.name,
        period=window.period,
        line=line,
        summary=summaries[nodes[0].id],
        areas=[summaries[node.id] for node in nodes[1:]],
        households=rows,
        income_by_category=income_by_category,
        spending_by_category=spending_by_category,
        generated_at=utcnow().astimezone(ZoneInfo(programme.timezone)),
    )


def _chains(
    nodes: list[AreaNode], summaries: dict[int, AreaSummary]
) -> dict[int, list[AreaSummary]]:
    """Per area id: its own summary and those of the areas above it, up to the report's."""
    chains: dict[int, list[AreaSummary]] = {}
    for node in nodes:  # parents come first
        above = chains[node.parent_id] if node.depth and node.parent_id else []
        chains[node.id] = [summaries[node.id], *above]
    return chains


def _place(by_id: dict[int, AreaNode], area_id: int, hamlet_label: str | None) -> tuple[str, str]:
    """(commune, hamlet) of a household: a hamlet area wins over the free-text label."""
    node = by_id[area_id]
    if node.kind == "hamlet":
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        return (parent.name if parent else ""), node.name
    return node.name, hamlet_label or ""


def _household_row(
    household: Row[Any],
    *,
    totals: Totals,
    loans: _LoanFacts,
    open_alerts: int,
    line: PovertyLine,
    month: date,
    place: tuple[str, str],
) -> HouseholdRow:
    where = standing(
        totals, members=household.members, urban=household.urban, month=month, lines=[line]
    )
    return HouseholdRow(
        code=household.code,
        head_name=household.head_name,
        commune=place[0],
        hamlet=place[1],
        members=household.members,
        status=household.status,
        urban=household.urban,
        joined=bool(household.joined),
        income=totals.income,
        production_cost=totals.production_cost,
        other_spending=totals.expense - totals.production_cost,
        interest=totals.interest,
        per_person=where.per_person,
        line=where.line,
        above=where.above if totals.entries else None,
        entries=totals.entries,
        last_entry=household.last_entry,
        open_alerts=open_alerts,
        loans_owed=loans.owed,
        moved=Counter(totals.loans_and_savings),
    )


def _add_household(summary: AreaSummary, row: HouseholdRow, loans: _LoanFacts) -> None:
    summary.households += 1
    summary.joined += row.joined
    if row.entries:
        summary.writing += 1
        summary.members_writing += row.members
        summary.above_line += bool(row.above)
        summary.below_line += not row.above
    summary.income += row.income
    summary.production_cost += row.production_cost
    summary.interest += row.interest
    summary.spending += row.spending
    summary.moved += row.moved
    summary.loans_open += loans.open
    summary.loans_amount += loans.amount
    summary.loans_owed += loans.owed
    summary.loans_disbursed += loans.disbursed
    summary.loans_disbursed_amount += loans.disbursed_amount
    summary.loans_misused += loans.misused
    summary.loan_spent += loans.spent
    summary.loan_spent_outside += loans.spent_outside


def _count_alerts(
    alerts: Iterable[Row[Any]],
    window: _Window,
    area_of: dict[int, int],
    chains: dict[int, list[AreaSummary]],
) -> Counter[int]:
    """Add the month's alerts to the summaries; return the open ones per household."""
    open_at_end: Counter[int] = Counter()
    for household_id, raised_at, resolved_at in alerts:
        chain = chains[area_of[household_id]]
        still_open = resolved_at is None or resolved_at >= window.end
        open_at_end[household_id] += still_open
        resolved = window.holds(resolved_at)
        for summary in chain:
            summary.alerts_raised += window.holds(raised_at)
            summary.alerts_open += still_open
            if resolved:
                summary.alerts_resolved += 1
                summary.hours_to_resolve.append((resolved_at - raised_at).total_seconds() / 3600)
    return open_at_end


def _count_cases(
    cases: Iterable[Row[Any]],
    window: _Window,
    area_of: dict[int, int],
    chains: dict[int, list[AreaSummary]],
) -> None:
    for household_id, opened_at, answered_at in cases:
        for summary in chains[area_of[household_id]]:
            summary.cases_opened += window.holds(opened_at)
            summary.cases_answered += window.holds(answered_at)


def _count_meetings(meetings: Iterable[Row[Any]], chains: dict[int, list[AreaSummary]]) -> None:
    for area_id, invited, attended in meetings:
        for summary in chains[area_id]:
            summary.meetings_held += 1
            summary.meeting_invited += int(invited)
            summary.meeting_attended += int(attended)
