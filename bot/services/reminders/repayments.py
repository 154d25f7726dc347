"""Reminding a household of a loan's due date some days before it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.contract import Reply
from bot.i18n import Translator
from bot.services.diary import loans
from bot.services.diary.labels import party_label
from bot.services.reminders.queueing import TickResult, queue
from bot.services.reminders.timing import Timing
from models import Contact, Loan


async def loan_reminders(
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
            await queue(
                session,
                result,
                "loan",
                loan_key(loan, n),
                due,
                partial(loan_reminder, found=found, sent_on=today),
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
