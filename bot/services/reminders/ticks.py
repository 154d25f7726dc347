"""The scheduler's three ticks (issue 6): what is due at a moment, computed from the database.

A reminder has a due time in the programme's time zone.  It may be sent from that time
for ``[scheduler] misfire_grace_hours`` of waking time: a time in quiet hours moves to
the end of them, and the hours of a quiet night do not count.  Every message goes
through :func:`bot.services.messaging.notify.notify` with an idempotency key, so a tick run twice
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

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.alerts import alerts
from bot.services.diary.ledger import Period
from bot.services.reminders import digest, meeting_days, repayments, report_due, writing
from bot.services.reminders.queueing import TickResult
from bot.services.reminders.timing import Timing
from models import Contact, Officer


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
    await writing.diary_reminders(session, settings, timing, now, contacts, result)
    await repayments.loan_reminders(session, settings, timing, now, contacts, result)
    await meeting_days.meeting_reminders(session, settings, timing, now, result)
    return result


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
            await digest.send_digest(session, settings, timing, day, officer, result)
    return result


async def monthly(session: AsyncSession, settings: Settings, now: datetime) -> TickResult:
    """On ``[reminders] report_due_day`` at the officers' time: each officer gets last
    month's report of their area as a workbook, with the dialogue meetings' outcomes."""
    timing = Timing.of(settings)
    result = TickResult()
    config = settings.reminders
    for day in timing.due_days(now, config.officer_time):
        if day.day != config.report_due_day:
            continue
        month = Period.month_of(day).previous_month()
        officers = await session.scalars(select(Officer).order_by(Officer.area_id, Officer.id))
        by_area: dict[int, list[int]] = defaultdict(list)
        for officer in officers:
            by_area[officer.area_id].append(officer.id)
        for area_id, officer_ids in by_area.items():
            await report_due.send_report_due(
                session, settings, timing, month, area_id, officer_ids, result
            )
    return result
