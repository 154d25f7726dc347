"""Alert rules (DESIGN §4): each raised once per cause, sent to the household's officer,
escalated to the admins above when nobody acknowledges it in time, and closed when its
cause clears."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.contract import Button, Reply
from bot.i18n import N_, Translator
from bot.services.diary import loans
from bot.services.diary.ledger import SPENDING_KINDS, Totals
from bot.services.messaging.notify import notify
from bot.services.people import people
from models import Alert, Contact, Entry, Household

log = logging.getLogger(__name__)

RULE_LABELS = {
    "inactive": N_("Không ghi sổ {days} ngày"),
    "deficit": N_("Chi nhiều hơn thu {months} tháng liền"),
    "loan_misuse": N_("Tiền vay {lender} chi sai mục đích ({share}% ngoài mục đích)"),
    "urgent": N_("Tin nhắn khẩn: «{text}»"),
    "income_drop": N_("Thu nhập tháng {month} giảm mạnh so với 3 tháng trước"),
    "milestone_missed": N_("Chưa làm được việc trong kế hoạch: «{text}» (hẹn {day})"),
    "activity_losing": N_("{activity} lỗ {months} tháng liền"),
    "plan_idle": N_("Có kế hoạch nhưng {days} ngày qua sổ không ghi khoản nào của mô hình"),
}
SEVERITY = {
    "urgent": "high",
    "loan_misuse": "normal",
    "deficit": "normal",
    "inactive": "low",
    "income_drop": "normal",
    "milestone_missed": "normal",
    "activity_losing": "normal",
    "plan_idle": "low",
}


def describe(t: Translator, alert: Alert) -> str:
    text = t._(RULE_LABELS[alert.rule]).format(**alert.details)
    if alert.details.get("more"):
        text += "\n" + t._("Thêm {more} tin nhắn khẩn sau đó, tin mới nhất: «{latest}»").format(
            **alert.details
        )
    return text


async def fold_urgent(
    session: AsyncSession, household_id: int, text: str, now: datetime, *, within: timedelta
) -> bool:
    """Join an urgent message to the household's last urgent alert when that one is recent
    and not resolved: eighty messages in an hour are one alert the officer has already
    been pushed, not eighty pushes.  Whether it was joined."""
    alert = await session.scalar(
        select(Alert)
        .where(
            Alert.household_id == household_id,
            Alert.rule == "urgent",
            Alert.status != "resolved",
            Alert.raised_at >= now - within,
        )
        .order_by(Alert.raised_at.desc())
        .limit(1)
    )
    if alert is None:
        return False
    # a new dict: SQLAlchemy sees a JSON column change only when it is assigned
    alert.details = {**alert.details, "more": alert.details.get("more", 0) + 1, "latest": text}
    return True


def alert_buttons(t: Translator, alert: Alert) -> tuple[tuple[Button, ...], ...]:
    last_row: tuple[Button, ...] = (Button(t._("Xem hộ"), f"alert:view:{alert.id}"),)
    if alert.rule == "urgent":
        # Someone may be in danger: the officer calls back (or writes) first.
        last_row = (Button(t._("📞 Gọi lại"), f"alert:call:{alert.id}"), *last_row)
    return (
        (
            Button(t._("Đã biết"), f"alert:ack:{alert.id}"),
            Button(t._("Đã xử lý"), f"alert:done:{alert.id}"),
        ),
        last_row,
    )


async def raise_alert(
    session: AsyncSession,
    household: Household,
    rule: str,
    cause: str,
    now: datetime,
    **details: Any,
) -> Alert | None:
    """Raise an alert unless this cause raised one before; tell the household's officer."""
    key = f"{rule}:{household.id}:{cause}"
    if await session.scalar(select(Alert.id).where(Alert.cause_key == key)) is not None:
        return None
    alert = Alert(
        rule=rule,
        cause_key=key,
        household_id=household.id,
        severity=SEVERITY[rule],
        details=details,
        raised_at=now,
    )
    session.add(alert)
    await session.flush()

    def message(t: Translator) -> Reply:
        heading = t._("Cảnh báo – hộ {name} ({code}):").format(
            name=household.head_name, code=household.code
        )
        mark = "🚨" if alert.severity == "high" else "⚠️"
        return Reply(f"{mark} {heading}\n{describe(t, alert)}", alert_buttons(t, alert))

    await notify(
        session,
        await people.responsible_contacts(session, household),
        message,
        key=f"alert:{alert.id}:raised",
    )
    return alert


@dataclass
class ScanResult:
    raised: list[Alert] = field(default_factory=list)
    resolved: int = 0
    escalated: int = 0


def _month_start(day: date, back: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return date(year, month + 1, 1)


async def _monthly(
    session: AsyncSession, since: date, until: date
) -> dict[int, dict[date, Totals]]:
    """household → month → its totals, for whole months in [since, until].  Only money
    earned or spent is read: a loan disbursed does not hide a deficit, nor does a hụi
    contribution make one."""
    rows = await session.execute(
        select(Entry.household_id, Entry.day, Entry.kind, Entry.category, Entry.amount).where(
            Entry.deleted_at.is_(None),
            Entry.day >= since,
            Entry.day <= until,
            Entry.kind.in_(("income", *SPENDING_KINDS)),
        )
    )
    totals: dict[int, dict[date, Totals]] = defaultdict(lambda: defaultdict(Totals))
    for household_id, day, kind, category, amount in rows:
        totals[household_id][day.replace(day=1)].add(kind, category, int(amount))
    return totals


async def scan(session: AsyncSession, settings: Settings, now: datetime) -> ScanResult:
    """Run every rule over every household; close cleared alerts; escalate stale ones."""
    rules = settings.alerts
    result = ScanResult()
    households = list(await session.scalars(select(Household)))
    zone = ZoneInfo(settings.programme.timezone)
    today = now.astimezone(zone).date()
    joined_rows = await session.execute(
        select(Contact.household_id, func.min(Contact.consent_at))
        .where(Contact.household_id.is_not(None), Contact.consent_at.is_not(None))
        .group_by(Contact.household_id)
    )
    joined_at: dict[int, datetime] = {hid: at for hid, at in joined_rows if hid and at}
    last_rows = await session.execute(
        select(Entry.household_id, func.max(Entry.day))
        .where(Entry.deleted_at.is_(None))
        .group_by(Entry.household_id)
    )
    last_entry: dict[int, date] = {hid: day for hid, day in last_rows}
    first_of_this_month = today.replace(day=1)
    months_back = max(rules.deficit_months, 3) + 1
    monthly = await _monthly(
        session, _month_start(today, months_back), first_of_this_month - timedelta(days=1)
    )
    for household in households:
        if household.id not in joined_at:
            continue  # the programme has not reached this household on chat yet
        last = last_entry.get(household.id)
        since = last or joined_at[household.id].astimezone(zone).date()
        if (today - since).days >= rules.inactive_days:
            alert = await raise_alert(
                session, household, "inactive", str(last or "never"), now, days=(today - since).days
            )
            result.raised += [alert] if alert else []
        months = monthly.get(household.id, {})
        streak = 0
        while streak < months_back and (
            (m := months.get(_month_start(today, streak + 1))) and m.spending > m.income
        ):
            streak += 1
        if streak >= rules.deficit_months:
            start = _month_start(today, streak)
            alert = await raise_alert(
                session, household, "deficit", start.isoformat(), now, months=streak
            )
            result.raised += [alert] if alert else []
        last_month = _month_start(today, 1)
        previous = [months.get(_month_start(today, back), Totals()).income for back in (2, 3, 4)]
        average = sum(previous) / 3
        income = months.get(last_month, Totals()).income
        if average > 0 and income < average * (1 - rules.income_drop_share):
            alert = await raise_alert(
                session,
                household,
                "income_drop",
                last_month.isoformat(),
                now,
                month=f"{last_month.month:02d}/{last_month.year}",
            )
            result.raised += [alert] if alert else []
    result.raised += await _loan_misuse(session, settings, now)
    # Imported here: the plan's rules raise their alerts through this module.
    from bot.plans import alerts as plan_alerts

    result.raised += await plan_alerts.scan(session, settings, now)
    result.resolved = await _resolve_cleared(session, last_entry, now)
    result.resolved += await _resolve_gone_loans(session, now)
    result.escalated = await escalate(session, settings, now)
    return result


async def _loan_misuse(session: AsyncSession, settings: Settings, now: datetime) -> list[Alert]:
    raised: list[Alert] = []
    debts = await loans.ledgers(session, direction=loans.BORROWED, open_only=True)
    uses = await loans.uses_of(session, debts)
    for found in debts:
        loan, use = found.loan, uses.get(found.id, loans.LoanUse())
        # Judge only once a fair part of the loan is spent, or a few purchases mislead.
        if (
            use.spent * 5 < found.principal
            or use.outside_share <= settings.alerts.loan_misuse_share
        ):
            continue
        household = await session.get(Household, loan.household_id)
        assert household is not None
        alert = await raise_alert(
            session,
            household,
            "loan_misuse",
            str(loan.id),
            now,
            lender=loan.lender,
            share=round(100 * use.outside_share),
        )
        raised += [alert] if alert else []
    return raised


async def _resolve_gone_loans(session: AsyncSession, now: datetime) -> int:
    """A loan-misuse alert closes itself when its loan is gone (its borrowing undone) or
    paid off."""
    open_ids = {
        str(found.id)
        for found in await loans.ledgers(session, direction=loans.BORROWED, open_only=True)
    }
    closed = 0
    for alert in await session.scalars(
        select(Alert).where(Alert.rule == "loan_misuse", Alert.status != "resolved")
    ):
        if alert.cause_key.rsplit(":", 1)[-1] not in open_ids:  # "loan_misuse:<hh>:<loan>"
            alert.status, alert.resolved_at = "resolved", now
            alert.resolution_note = "the loan is no longer owed (paid off or undone)"
            closed += 1
    return closed


async def _resolve_cleared(
    session: AsyncSession, last_entry: dict[int, date], now: datetime
) -> int:
    """An inactivity alert closes itself when the household writes again."""
    closed = 0
    for alert in await session.scalars(
        select(Alert).where(Alert.rule == "inactive", Alert.status != "resolved")
    ):
        cause_day = alert.cause_key.rsplit(":", 1)[-1]
        latest = last_entry.get(alert.household_id)
        if latest is not None and (cause_day == "never" or latest > date.fromisoformat(cause_day)):
            alert.status, alert.resolved_at = "resolved", now
            alert.resolution_note = f"household wrote again on {latest.isoformat()}"
            closed += 1
    return closed


async def escalate(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Alerts nobody acknowledged in time go up to the admins above the household."""
    deadline = now - timedelta(hours=settings.alerts.escalate_after_hours)
    count = 0
    for alert in await session.scalars(
        select(Alert).where(
            Alert.status == "open", Alert.escalated_at.is_(None), Alert.raised_at <= deadline
        )
    ):
        household = await session.get(Household, alert.household_id)
        assert household is not None
        admins = await people.admins_over(session, household.area_id)
        contacts = await people.officer_contacts(session, [a.id for a in admins])

        def message(t: Translator, alert: Alert = alert, household: Household = household) -> Reply:
            heading = t._("⏫ Cảnh báo chưa ai nhận sau {hours} giờ – hộ {name} ({code}):").format(
                hours=settings.alerts.escalate_after_hours,
                name=household.head_name,
                code=household.code,
            )
            return Reply(f"{heading}\n{describe(t, alert)}", alert_buttons(t, alert))

        await notify(session, contacts, message, key=f"alert:{alert.id}:escalated")
        alert.escalated_at = now
        count += 1
    return count


def acknowledge(alert: Alert, officer_id: int, now: datetime) -> None:
    """An officer has seen the alert (the chat's "Đã biết", the web page's button)."""
    if alert.status == "open":
        alert.status, alert.acknowledged_at, alert.acknowledged_by = "acknowledged", now, officer_id


def resolve(alert: Alert, officer_id: int, now: datetime) -> None:
    """An officer has dealt with the alert ("Đã xử lý")."""
    if alert.status != "resolved":
        alert.status, alert.resolved_at, alert.resolved_by = "resolved", now, officer_id
        alert.acknowledged_at = alert.acknowledged_at or now


async def open_alerts(session: AsyncSession, household_ids: list[int]) -> list[Alert]:
    return list(
        await session.scalars(
            select(Alert)
            .where(Alert.household_id.in_(household_ids), Alert.status != "resolved")
            .order_by(Alert.raised_at.desc())
        )
    )
