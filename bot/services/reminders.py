"""Reminders (issue 6): what is due at a moment, computed from the database.

A reminder has a due time in the programme's time zone.  It may be sent from that time
for ``[scheduler] misfire_grace_hours`` of waking time: a time in quiet hours moves to
the end of them, and the hours of a quiet night do not count.  Every message goes
through :func:`bot.services.notify.notify` with an idempotency key, so a tick run twice
(a restart in the middle of one, a second process, an operator's
``sinhke reminders run``) queues nothing twice, and a tick missed is made up by the
next one within the grace.

============================  =========================================================
key (``:<contact id>`` added)  sent
============================  =========================================================
``remind:daily:<day>``         household, at its reminder time, if nothing was written
``remind:weekly:<ISO week>``   household, on the weekly day at its reminder time, with
                               the week's money (instead of that day's daily reminder)
``remind:loan:<id>:<due>:<n>``  household, ``n`` days before a loan's due date
``meeting:<id>:<n>days``       officers, ``n`` days before a meeting, with the answers
``meeting:<id>:morning``       officers and the households coming, on the meeting's day
``digest:<day>``               officer, at ``[alerts] digest_time``: what changed
``report-due:<YYYY-MM>``       officers, on the report's due day, with the workbook
============================  =========================================================
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.config import Settings
from bot.core.contract import Attachment, Button, Reply
from bot.i18n import Translator
from bot.services import alerts, ledger, loans, meetings, people
from bot.services.alerts import ScanResult
from bot.services.labels import party_label
from bot.services.notify import notify
from bot.services.reports import monthly_report
from bot.services.summaries import balance_line, loans_and_savings
from models import Alert, Area, Case, Contact, Entry, Household, Loan, Meeting, Officer, Outbox

LIST_LIMIT = 10  # households or alerts named in one digest section; the rest are counted
IN_CHUNK = 500  # values in one SQL IN list
ISSUES_SHOWN = 300  # characters of a meeting's issues in the report-due message


# --- when something is due (pure) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timing:
    """Local times, quiet hours and the grace of late sends.  Moments are aware (UTC)."""

    zone: ZoneInfo
    quiet_start: time
    quiet_end: time
    grace: timedelta

    @classmethod
    def of(cls, settings: Settings) -> Timing:
        return cls(
            zone=ZoneInfo(settings.programme.timezone),
            quiet_start=settings.reminders.quiet_start,
            quiet_end=settings.reminders.quiet_end,
            grace=timedelta(hours=settings.scheduler.misfire_grace_hours),
        )

    def at(self, day: date, moment: time) -> datetime:
        """The moment of ``day`` at the local time ``moment``, in UTC."""
        return datetime.combine(day, moment, self.zone).astimezone(UTC)

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    @property
    def has_quiet(self) -> bool:
        return self.quiet_start != self.quiet_end

    def quiet(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone).time()
        start, end = self.quiet_start, self.quiet_end
        if start < end:
            return start <= local < end
        return self.has_quiet and (local >= start or local < end)

    def next_at(self, moment: datetime, clock: time) -> datetime:
        """The first moment at or after ``moment`` whose local time is ``clock``."""
        today = self.day_of(moment)
        candidate = self.at(today, clock)
        return candidate if candidate >= moment else self.at(today + timedelta(days=1), clock)

    def waking(self, moment: datetime) -> datetime:
        """``moment``, or the end of the quiet hours it falls in."""
        return self.next_at(moment, self.quiet_end) if self.quiet(moment) else moment

    def window(self, due: datetime) -> tuple[datetime, datetime]:
        """When a reminder due at ``due`` may be sent: from the first waking moment, for
        ``grace`` of waking time (a quiet night in between does not use it up)."""
        start = self.waking(due)
        end, left = start, self.grace
        while self.has_quiet:
            pause = self.next_at(end, self.quiet_start)
            if end + left <= pause:
                break
            left -= pause - end
            end = self.next_at(pause, self.quiet_end)
        return start, end + left

    def is_due(self, due: datetime, now: datetime) -> bool:
        start, end = self.window(due)
        return start <= now < end

    def due_days(self, now: datetime, clock: time) -> list[date]:
        """The local days whose ``clock`` time is due at ``now`` (oldest first).  Three
        days back cover the longest window: a day of grace plus two quiet nights."""
        today = self.day_of(now)
        days = (today - timedelta(days=back) for back in range(3, -1, -1))
        return [day for day in days if self.is_due(self.at(day, clock), now)]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# --- the result of a tick ---------------------------------------------------------------


@dataclass
class TickResult:
    """Outbox rows queued, by kind, and the alert scan when the daily tick ran it."""

    queued: Counter[str] = field(default_factory=Counter)
    scan: ScanResult | None = None

    @property
    def total(self) -> int:
        return sum(self.queued.values())

    def merge(self, other: TickResult) -> TickResult:
        return TickResult(self.queued + other.queued, self.scan or other.scan)

    def describe(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.queued.items()))
        text = f"{self.total} queued" + (f" ({kinds})" if kinds else "")
        if self.scan is not None:
            text += (
                f"; alerts: {len(self.scan.raised)} raised, {self.scan.resolved} resolved, "
                f"{self.scan.escalated} escalated"
            )
        return text


async def _unsent(session: AsyncSession, key: str, contacts: Sequence[Contact]) -> list[Contact]:
    """The contacts with nothing queued under ``key`` yet.

    Only a shortcut: a repeat would be ignored by the outbox anyway, but checking first
    keeps a minute tick from rebuilding thousands of messages already queued.  The first
    part of a message has the key ``<key>:<contact id>#0`` (see notify and enqueue).
    """
    queued: set[str] = set()
    for chunk in _chunks([f"{key}:{contact.id}#0" for contact in contacts]):
        queued.update(await session.scalars(select(Outbox.key).where(Outbox.key.in_(chunk))))
    return [contact for contact in contacts if f"{key}:{contact.id}#0" not in queued]


def _chunks(values: list[str]) -> Iterable[list[str]]:
    return (values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK))


async def _queue(
    session: AsyncSession,
    result: TickResult,
    kind: str,
    key: str,
    contacts: Sequence[Contact],
    make: Callable[[Translator], Reply],
) -> None:
    fresh = await _unsent(session, key, contacts)
    if fresh:
        result.queued[kind] += await notify(session, fresh, make, key=key)


# --- the minute tick: households and meetings -------------------------------------------


async def tick(session: AsyncSession, settings: Settings, now: datetime) -> TickResult:
    """Everything due at ``now`` that a minute tick sends: households' daily reminders,
    weekly notes and loan reminders, and the officers' meeting reminders."""
    timing = Timing.of(settings)
    result = TickResult()
    contacts = list(
        await session.scalars(
            select(Contact)
            .where(
                Contact.household_id.is_not(None),
                Contact.consent_at.is_not(None),
                Contact.blocked.is_(False),
            )
            .order_by(Contact.id)
        )
    )
    await _diary_reminders(session, settings, timing, now, contacts, result)
    await _loan_reminders(session, settings, timing, now, contacts, result)
    await _meeting_reminders(session, settings, timing, now, result)
    return result


@dataclass(frozen=True, slots=True)
class _DiaryDue:
    day: date
    weekly: bool

    @property
    def key(self) -> str:
        if self.weekly:
            return f"remind:weekly:{iso_week(self.day)}"
        return f"remind:daily:{self.day.isoformat()}"


async def _diary_reminders(
    session: AsyncSession,
    settings: Settings,
    timing: Timing,
    now: datetime,
    contacts: list[Contact],
    result: TickResult,
) -> None:
    """Daily reminders and, on the weekly day, the weekly note in their place."""
    config = settings.reminders
    due: dict[_DiaryDue, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if not contact.reminders_on:
            continue
        for day in timing.due_days(now, contact.reminder_time or config.default_time):
            due[_DiaryDue(day, day.weekday() == config.weekly_weekday)].append(contact)
    sent_on = timing.day_of(now)
    for which, waiting in due.items():
        fresh = await _unsent(session, which.key, waiting)
        if not fresh:
            continue
        written = await _written(session, timing, which.day, {c.household_id or 0 for c in fresh})
        if which.weekly:
            await _weekly_notes(session, result, which, fresh, written, sent_on)
            continue
        silent = [contact for contact in fresh if contact.household_id not in written]
        if silent:
            result.queued["daily"] += await notify(
                session,
                silent,
                partial(daily_reminder, day=which.day, sent_on=sent_on),
                key=which.key,
            )


async def _written(
    session: AsyncSession, timing: Timing, day: date, household_ids: set[int]
) -> set[int]:
    """The households that wrote for ``day``: an entry of that day, or one recorded on it
    (e.g. that morning about the day before)."""
    start, end = timing.at(day, time()), timing.at(day + timedelta(days=1), time())
    wrote: set[int] = set()
    ids = sorted(household_ids)
    for i in range(0, len(ids), IN_CHUNK):
        wrote.update(
            await session.scalars(
                select(Entry.household_id)
                .where(
                    Entry.household_id.in_(ids[i : i + IN_CHUNK]),
                    Entry.deleted_at.is_(None),
                    or_(
                        Entry.day == day,
                        and_(Entry.recorded_at >= start, Entry.recorded_at < end),
                    ),
                )
                .distinct()
            )
        )
    return wrote


def daily_reminder(t: Translator, day: date, sent_on: date) -> Reply:
    if day == sent_on:
        text = t._(
            "Hôm nay nhà mình chưa ghi sổ. Có thu, chi khoản nào thì anh/chị nhắn cho bot, "
            "ví dụ «bán trứng 50k» hay «mua phân 200k» nhé."
        )
    else:
        text = t._(
            "Ngày {date} nhà mình chưa ghi sổ. Có thu, chi khoản nào hôm đó thì anh/chị nhắn "
            "kèm ngày, ví dụ «ngày {short} bán trứng 50k» nhé."
        ).format(date=t.date(day), short=f"{day.day}/{day.month}")
    return Reply(text, ((Button(t._("Đổi giờ nhắc"), "set:reminder"),),))


async def _weekly_notes(
    session: AsyncSession,
    result: TickResult,
    which: _DiaryDue,
    contacts: list[Contact],
    written: set[int],
    sent_on: date,
) -> None:
    week = ledger.Period(ledger.Period.week_of(which.day).start, which.day)
    by_household: dict[int, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_household[contact.household_id or 0].append(contact)
    for household_id, members in by_household.items():
        found = await ledger.totals(session, household_id, week)
        nudge = which.day == sent_on and household_id not in written
        result.queued["weekly"] += await notify(
            session,
            members,
            partial(weekly_note, week=week, found=found, nudge=nudge),
            key=which.key,
        )


def weekly_note(t: Translator, week: ledger.Period, found: ledger.Totals, *, nudge: bool) -> Reply:
    span = {"start": t.date(week.start), "end": t.date(week.end)}
    if found.entries == 0:
        lines = [
            t._(
                "Tuần {start} – {end} nhà mình chưa ghi khoản nào. Ghi đều mỗi ngày thì cuối "
                "tháng mới biết nhà mình thu chi ra sao nhé."
            ).format(**span)
        ]
    else:
        lines = [
            t._("Tổng kết tuần {start} – {end} của nhà mình:").format(**span),
            t._("Thu: {amount}").format(amount=t.money(found.income)),
            t._("Chi: {amount}").format(amount=t.money(found.spending)),
            balance_line(t, found.balance),
            *loans_and_savings(t, found, brief=True),
        ]
    if nudge:
        lines.append(t._("Hôm nay nhà mình chưa ghi sổ, có khoản nào thì nhắn bot nhé."))
    return Reply("\n".join(lines))


async def _loan_reminders(
    session: AsyncSession,
    settings: Settings,
    timing: Timing,
    now: datetime,
    contacts: list[Contact],
    result: TickResult,
) -> None:
    """Repayment reminders some days before a loan's due date, at the household's time.
    They come even when the daily reminder is off: a missed repayment costs money."""
    days_before = sorted({n for n in settings.reminders.loan_days_before if n >= 0})
    if not days_before:
        return
    today = timing.day_of(now)
    open_loans = await loans.ledgers(
        session,
        Loan.due_on >= today - timedelta(days=3),
        Loan.due_on <= today + timedelta(days=days_before[-1]),
        direction=loans.BORROWED,
        open_only=True,
    )
    by_household: dict[int, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_household[contact.household_id or 0].append(contact)
    for found in open_loans:
        loan = found.loan
        assert loan.due_on is not None
        for n in days_before:
            day = loan.due_on - timedelta(days=n)
            due = [
                contact
                for contact in by_household.get(loan.household_id, [])
                if timing.is_due(
                    timing.at(day, contact.reminder_time or settings.reminders.default_time), now
                )
            ]
            fresh = await _unsent(session, loan_key(loan, n), due)
            if not fresh:
                continue
            result.queued["loan"] += await notify(
                session,
                fresh,
                partial(loan_reminder, found=found, sent_on=today),
                key=loan_key(loan, n),
            )


def loan_key(loan: Loan, days_before: int) -> str:
    # The due date is part of the key: a loan whose date moves is reminded again.
    assert loan.due_on is not None
    return f"remind:loan:{loan.id}:{loan.due_on.isoformat()}:{days_before}"


def loan_reminder(t: Translator, found: loans.LoanLedger, sent_on: date) -> Reply:
    loan = found.loan
    assert loan.due_on is not None
    facts = {
        "date": t.date(loan.due_on),
        "lender": party_label(t, loan),
        "amount": t.money(found.principal),
    }
    days = (loan.due_on - sent_on).days
    if days <= 0:
        heading = t._("Hôm nay ({date}) đến hạn trả khoản vay {lender} ({amount}).")
    elif days == 1:
        heading = t._("Ngày mai ({date}) đến hạn trả khoản vay {lender} ({amount}).")
    else:
        heading = t._(
            "Còn {days} ngày nữa, ngày {date}, đến hạn trả khoản vay {lender} ({amount})."
        )
    return Reply(
        "\n".join(
            (
                heading.format(days=days, **facts),
                t._("Đã trả {paid}, còn nợ gốc {left}.").format(
                    paid=t.money(found.repaid), left=t.money(found.owed)
                ),
                t._(
                    "Khi trả, anh/chị nhắn cho bot, ví dụ «trả nợ ngân hàng 1 triệu», "
                    "để sổ ghi lại nhé."
                ),
            )
        )
    )


async def _meeting_reminders(
    session: AsyncSession, settings: Settings, timing: Timing, now: datetime, result: TickResult
) -> None:
    """Officers: some days before a meeting and on its morning, with the answers so far;
    the households still coming: on the morning."""
    config = settings.reminders
    upcoming = await session.scalars(
        select(Meeting).where(
            Meeting.held.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=config.meeting_days_before + 2),
        )
    )
    for meeting in upcoming:
        day = timing.day_of(meeting.starts_at)
        before = timing.at(day - timedelta(days=config.meeting_days_before), config.officer_time)
        # Early meetings get their morning reminder an hour ahead at the latest.
        morning = min(timing.at(day, config.officer_time), meeting.starts_at - timedelta(hours=1))
        for which, due in ((f"{config.meeting_days_before}days", before), ("morning", morning)):
            # A reminder due before the meeting was called would repeat the invitation.
            if due < meeting.created_at or not timing.is_due(due, now):
                continue
            key = f"meeting:{meeting.id}:{which}"
            found = await meetings.summary(session, meeting)
            await _queue(
                session,
                result,
                "meeting",
                key,
                await meetings.officer_contacts(session, meeting),
                partial(
                    meeting_reminder,
                    meeting=meeting,
                    zone=timing.zone,
                    found=found,
                    soon=which != "morning",
                ),
            )
            if which == "morning":
                await _queue(
                    session,
                    result,
                    "meeting",
                    key,
                    await meetings.coming_contacts(session, meeting),
                    partial(meeting_morning, meeting=meeting, zone=timing.zone),
                )


def meeting_reminder(
    t: Translator, meeting: Meeting, zone: ZoneInfo, found: meetings.Summary, *, soon: bool
) -> Reply:
    local = meeting.starts_at.astimezone(zone)
    if soon:
        heading = t._("📅 Sắp đến buổi họp đối thoại với bà con: {when}, tại {place}.").format(
            when=t.datetime(local), place=meeting.place
        )
    else:
        heading = t._("📅 Hôm nay họp đối thoại với bà con lúc {time}, tại {place}.").format(
            time=local.strftime("%H:%M"), place=meeting.place
        )
    return Reply(f"{heading}\n{meetings.summary_text(t, found)}")


def meeting_morning(t: Translator, meeting: Meeting, zone: ZoneInfo) -> Reply:
    return Reply(
        t._(
            "📅 Nhắc anh/chị: hôm nay lúc {time} họp đối thoại ở {place}. "
            "Muốn hỏi gì trước, nhắn «hỏi: …» nhé."
        ).format(time=meeting.starts_at.astimezone(zone).strftime("%H:%M"), place=meeting.place)
    )


# --- the daily tick: alert scan and the officers' digest --------------------------------


async def daily(session: AsyncSession, settings: Settings, now: datetime) -> TickResult:
    """At ``[alerts] digest_time``: run the alert rules, then send each officer a digest
    of what changed since the day before.  Outside that time it does nothing."""
    timing = Timing.of(settings)
    result = TickResult()
    days = timing.due_days(now, settings.alerts.digest_time)
    if not days:
        return result
    result.scan = await alerts.scan(session, settings, now)
    officers = list(
        await session.scalars(select(Officer).where(Officer.role == "officer").order_by(Officer.id))
    )
    for day in days:
        for officer in officers:
            await _digest(session, settings, timing, day, officer, result)
    return result


@dataclass
class Digest:
    """What an officer hears about in one day's digest."""

    raised: int = 0
    resolved: int = 0
    long_open: list[tuple[Household, Alert]] = field(default_factory=list)
    silent: list[tuple[Household, date]] = field(default_factory=list)
    open_cases: int = 0

    def __bool__(self) -> bool:
        return bool(
            self.raised or self.resolved or self.long_open or self.silent or self.open_cases
        )


async def _digest(
    session: AsyncSession,
    settings: Settings,
    timing: Timing,
    day: date,
    officer: Officer,
    result: TickResult,
) -> None:
    key = f"digest:{day.isoformat()}"
    contacts = await _unsent(session, key, await people.officer_contacts(session, [officer.id]))
    if not contacts:
        return
    clock = settings.alerts.digest_time
    since, until = timing.at(day - timedelta(days=1), clock), timing.at(day, clock)
    found = await digest_of(session, timing, settings, officer, since, until)
    if found:
        result.queued["digest"] += await notify(
            session, contacts, lambda t: digest_message(t, settings, day, found), key=key
        )


async def digest_of(
    session: AsyncSession,
    timing: Timing,
    settings: Settings,
    officer: Officer,
    since: datetime,
    until: datetime,
) -> Digest:
    """The officer's households' news in (since, until]: alerts raised and resolved, alerts
    that have just been open ``open_alert_days``, households that have just gone
    ``silent_days`` without a word, and requests for help nobody took."""
    households = {
        h.id: h
        for h in await session.scalars(
            select(Household).where(
                (Household.area_id == officer.area_id) | (Household.officer_id == officer.id)
            )
        )
    }
    if not households:
        return Digest()
    ids = list(households)
    mine = Alert.household_id.in_(ids)
    found = Digest(
        raised=await _count(
            session, Alert.id, mine, Alert.raised_at > since, Alert.raised_at <= until
        ),
        resolved=await _count(
            session, Alert.id, mine, Alert.resolved_at > since, Alert.resolved_at <= until
        ),
        open_cases=await _count(
            session, Case.id, Case.household_id.in_(ids), Case.status == "open"
        ),
    )
    aged = timedelta(days=settings.reminders.open_alert_days)
    for alert in await session.scalars(
        select(Alert)
        .where(
            mine,
            Alert.status != "resolved",
            Alert.raised_at > since - aged,
            Alert.raised_at <= until - aged,
        )
        .order_by(Alert.raised_at)
    ):
        found.long_open.append((households[alert.household_id], alert))
    # A household is heard from when one of its chats writes (or first joins).
    silence = timedelta(days=settings.reminders.silent_days)
    heard = await session.execute(
        select(
            Contact.household_id, func.max(func.coalesce(Contact.last_seen_at, Contact.consent_at))
        )
        .where(Contact.household_id.in_(ids), Contact.consent_at.is_not(None))
        .group_by(Contact.household_id)
        .order_by(Contact.household_id)
    )
    for household_id, last in heard:
        if since - silence < last <= until - silence:
            found.silent.append((households[household_id], timing.day_of(last)))
    return found


async def _count(
    session: AsyncSession, column: InstrumentedAttribute[int], *where: ColumnElement[bool]
) -> int:
    return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


def digest_message(t: Translator, settings: Settings, day: date, found: Digest) -> Reply:
    lines = [t._("Tin tóm tắt ngày {date}:").format(date=t.date(day))]
    if found.raised or found.resolved:
        lines.append(
            t._("• Cảnh báo mới: {raised}; đã xử lý xong: {resolved}.").format(
                raised=found.raised, resolved=found.resolved
            )
        )
    if found.long_open:
        lines.append(
            t._("• Cảnh báo mở đã {days} ngày mà chưa xử lý xong:").format(
                days=settings.reminders.open_alert_days
            )
        )
        lines += _named(
            t,
            [f"{h.code} {h.head_name}: {alerts.describe(t, a)}" for h, a in found.long_open],
        )
    if found.silent:
        lines.append(
            t._("• Hộ chưa liên lạc {days} ngày nay:").format(days=settings.reminders.silent_days)
        )
        lines += _named(
            t,
            [
                t._("{code} {name} (lần cuối {date})").format(
                    code=h.code, name=h.head_name, date=t.date(last)
                )
                for h, last in found.silent
            ],
        )
    if found.open_cases:
        lines.append(t._("• Yêu cầu giúp đỡ chưa ai nhận: {count}.").format(count=found.open_cases))
    lines.append(t._("Gõ /canhbao để xem các cảnh báo đang mở."))
    return Reply("\n".join(lines))


def _named(t: Translator, items: list[str]) -> list[str]:
    shown = [f"  – {item}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        shown.append("  " + t._("… và {more} hộ khác.").format(more=len(items) - LIST_LIMIT))
    return shown


# --- the monthly tick: the report's due day ---------------------------------------------


async def monthly(session: AsyncSession, settings: Settings, now: datetime) -> TickResult:
    """On ``[reminders] report_due_day`` at the officers' time: each officer gets last
    month's report of their area as a workbook, with the dialogue meetings' outcomes."""
    timing = Timing.of(settings)
    result = TickResult()
    config = settings.reminders
    for day in timing.due_days(now, config.officer_time):
        if day.day != config.report_due_day:
            continue
        month = ledger.Period.month_of(day).previous_month()
        officers = await session.scalars(select(Officer).order_by(Officer.area_id, Officer.id))
        by_area: dict[int, list[int]] = defaultdict(list)
        for officer in officers:
            by_area[officer.area_id].append(officer.id)
        for area_id, officer_ids in by_area.items():
            await _report_due(session, settings, timing, month, area_id, officer_ids, result)
    return result


async def _report_due(
    session: AsyncSession,
    settings: Settings,
    timing: Timing,
    month: ledger.Period,
    area_id: int,
    officer_ids: list[int],
    result: TickResult,
) -> None:
    key = f"report-due:{month.start:%Y-%m}"
    contacts = await _unsent(session, key, await people.officer_contacts(session, officer_ids))
    if not contacts:
        return
    area = await session.get(Area, area_id)
    assert area is not None
    report = await monthly_report(
        session, area_code=area.code, month=month.start, settings=settings
    )
    held = await meetings.held_between(
        session,
        await people.descendant_area_ids(session, area_id),
        timing.at(month.start, time()),
        timing.at(month.end + timedelta(days=1), time()),
    )
    books: dict[str, bytes] = {}

    from bot.services.report_book import to_xlsx  # openpyxl: loaded when a report is made

    def make(t: Translator) -> Reply:
        if t.locale not in books:
            books[t.locale] = to_xlsx(report, locale=t.locale)
        return report_due_message(t, area, month, held, books[t.locale], timing.zone)

    result.queued["report"] += await notify(session, contacts, make, key=key)


def report_due_message(
    t: Translator,
    area: Area,
    month: ledger.Period,
    held: list[tuple[Meeting, meetings.Outcome]],
    workbook: bytes,
    zone: ZoneInfo,
) -> Reply:
    label = f"{month.start.month:02d}/{month.start.year}"
    lines = [
        t._(
            "📊 Hôm nay là hạn nộp báo cáo tháng {month}. Bot đã lập sẵn báo cáo của {area} "
            "(tệp đính kèm), anh/chị xem lại rồi nộp nhé."
        ).format(month=label, area=area.name)
    ]
    for meeting, outcome in held:
        lines.append(
            t._("Họp đối thoại ngày {date}: {attended}/{invited} hộ đến.").format(
                date=t.date(meeting.starts_at.astimezone(zone).date()),
                attended=outcome.attended,
                invited=outcome.invited,
            )
        )
        if meeting.issues_raised:
            issues = meeting.issues_raised
            # Telegram shows at most 1024 characters beside a file.
            issues = issues if len(issues) <= ISSUES_SHOWN else issues[: ISSUES_SHOWN - 1] + "…"
            lines.append(t._("Vấn đề bà con nêu: {issues}").format(issues=issues))
    return Reply(
        "\n".join(lines),
        attachment=Attachment(f"bao-cao-{area.code}-{month.start:%Y-%m}.xlsx", workbook),
    )
