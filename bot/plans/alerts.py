"""The plan's alert rules, run with the others by ``bot.services.alerts.alerts.scan``:

* ``milestone_missed``: the household said a milestone did not happen, or did not
  answer within ``UNANSWERED_DAYS`` of its day;
* ``activity_losing``: an activity lost money in each of the last three whole months;
* ``plan_idle``: a plan older than ``IDLE_DAYS`` with none of its activities in the
  diary over the last ``IDLE_DAYS``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.plans import catalogue as catalogues
from bot.plans.catalogue import COUNTED_KINDS
from bot.plans.evidence import month_key
from bot.services.alerts.alerts import raise_alert
from models import Alert, Entry, EntryActivity, Household, Milestone, Plan

UNANSWERED_DAYS = 14
IDLE_DAYS = 45
LOSING_MONTHS = 3


def _month_start(day: date, back: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return date(year, month + 1, 1)


async def scan(session: AsyncSession, settings: Settings, now: datetime) -> list[Alert]:
    today = now.astimezone(ZoneInfo(settings.programme.timezone)).date()
    raised: list[Alert | None] = []
    households = {
        h.id: h
        for h in await session.scalars(
            select(Household).where(Household.id.in_(select(Plan.household_id)))
        )
    }
    if not households:
        return []
    late = today - timedelta(days=UNANSWERED_DAYS)
    for milestone, household_id in await session.execute(
        select(Milestone, Plan.household_id)
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(
            (Milestone.state == "missed")
            | ((Milestone.state == "pending") & (Milestone.due_on < late))
        )
    ):
        raised.append(
            await raise_alert(
                session,
                households[household_id],
                "milestone_missed",
                str(milestone.id),
                now,
                text=milestone.text,
                day=f"{milestone.due_on:%d/%m/%Y}",
            )
        )
    raised += await _losing(session, households, today, now)
    raised += await _idle(session, households, today, now)
    return [alert for alert in raised if alert is not None]


async def _losing(
    session: AsyncSession, households: dict[int, Household], today: date, now: datetime
) -> list[Alert | None]:
    first = _month_start(today, LOSING_MONTHS)
    months = [f"{_month_start(today, back):%Y-%m}" for back in range(LOSING_MONTHS, 0, -1)]
    profit: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    month = month_key(session, Entry.day)
    for household_id, activity, key, kind, amount in await session.execute(
        select(
            Entry.household_id,
            EntryActivity.activity,
            month,
            Entry.kind,
            func.sum(Entry.amount),
        )
        .join(EntryActivity, EntryActivity.entry_id == Entry.id)
        .where(
            Entry.household_id.in_(list(households)),
            Entry.deleted_at.is_(None),
            Entry.kind.in_(COUNTED_KINDS),
            Entry.day >= first,
            Entry.day < today.replace(day=1),
        )
        .group_by(Entry.household_id, EntryActivity.activity, month, Entry.kind)
    ):
        sign = 1 if kind == "income" else -1
        by_month = profit[household_id, activity]
        by_month[key] = by_month.get(key, 0) + sign * int(amount)
    catalogue = catalogues.default()
    raised: list[Alert | None] = []
    for (household_id, activity), by_month in profit.items():
        if all(by_month.get(m, 0) < 0 for m in months):
            name = catalogue.get(activity).vi if activity in catalogue else activity
            raised.append(
                await raise_alert(
                    session,
                    households[household_id],
                    "activity_losing",
                    f"{activity}:{months[-1]}",
                    now,
                    activity=name,
                    months=LOSING_MONTHS,
                )
            )
    return raised


async def _idle(
    session: AsyncSession, households: dict[int, Household], today: date, now: datetime
) -> list[Alert | None]:
    since = today - timedelta(days=IDLE_DAYS)
    active = set(
        await session.scalars(
            select(Entry.household_id)
            .join(EntryActivity, EntryActivity.entry_id == Entry.id)
            .where(
                Entry.household_id.in_(list(households)),
                Entry.deleted_at.is_(None),
                Entry.day >= since,
            )
            .distinct()
        )
    )
    raised: list[Alert | None] = []
    for plan in await session.scalars(select(Plan).where(Plan.household_id.in_(list(households)))):
        started = plan.created_at.astimezone(now.tzinfo).date()
        if plan.household_id in active or started > since:
            continue
        raised.append(
            await raise_alert(
                session,
                households[plan.household_id],
                "plan_idle",
                f"{plan.id}:{today:%Y-%m}",
                now,
                days=IDLE_DAYS,
            )
        )
    return raised
