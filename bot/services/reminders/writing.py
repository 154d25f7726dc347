"""Nudging households to write their diary: the daily reminder, and the weekly note in its place."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.contract import Button, Reply
from bot.i18n import Translator
from bot.services.diary import ledger
from bot.services.diary.summaries import balance_line, loans_and_savings
from bot.services.reminders.queueing import TickResult, chunks, send, unsent
from bot.services.reminders.timing import Timing, iso_week
from models import Contact, Entry


@dataclass(frozen=True, slots=True)
class _DiaryDue:
    day: date
    weekly: bool

    @property
    def key(self) -> str:
        if self.weekly:
            return f"remind:weekly:{iso_week(self.day)}"
        return f"remind:daily:{self.day.isoformat()}"


async def diary_reminders(
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
        fresh = await unsent(session, which.key, waiting)
        if not fresh:
            continue
        written = await _written(session, timing, which.day, {c.household_id or 0 for c in fresh})
        if which.weekly:
            await _weekly_notes(session, result, which, fresh, written, sent_on)
            continue
        silent = [contact for contact in fresh if contact.household_id not in written]
        if silent:
            await send(
                session,
                result,
                "daily",
                which.key,
                silent,
                partial(daily_reminder, day=which.day, sent_on=sent_on),
            )


async def _written(
    session: AsyncSession, timing: Timing, day: date, household_ids: set[int]
) -> set[int]:
    """The households that wrote for ``day``: an entry of that day, or one recorded on it
    (e.g. that morning about the day before)."""
    start, end = timing.at(day, time()), timing.at(day + timedelta(days=1), time())
    wrote: set[int] = set()
    for chunk in chunks(sorted(household_ids)):
        wrote.update(
            await session.scalars(
                select(Entry.household_id)
                .where(
                    Entry.household_id.in_(chunk),
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
        await send(
            session,
            result,
            "weekly",
            which.key,
            members,
            partial(weekly_note, week=week, found=found, nudge=nudge),
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
