"""Milestones on their day: the household is asked whether it happened (buttons), and
its answer goes to the officer.

```mermaid
stateDiagram-v2
    [*] --> pending: the plan is set
    pending --> pending: its day comes (asked once, Có / Chưa buttons)
    pending --> done: "Có, xong rồi"
    pending --> missed: "Chưa" (the officer is alerted)
```
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.contract import Button, Reply
from bot.i18n import Translator
from bot.services.alerts import alerts
from bot.services.messaging.notify import notify
from bot.services.people import people
from bot.services.reminders.queueing import TickResult
from models import Household, Milestone, Plan


def question(t: Translator, *, milestone: Milestone) -> Reply:
    return Reply(
        t._("Theo kế hoạch, ngày {day}: «{text}». Việc này xong chưa ạ?").format(
            day=t.date(milestone.due_on), text=milestone.text
        ),
        (
            (
                Button(t._("Có, xong rồi"), f"ms:{milestone.id}:yes"),
                Button(t._("Chưa"), f"ms:{milestone.id}:no"),
            ),
        ),
    )


async def ask_due(session: AsyncSession, settings: Settings, now: datetime) -> TickResult:
    """Ask each household once about its milestones whose day has come."""
    today = now.astimezone(ZoneInfo(settings.programme.timezone)).date()
    queued: Counter[str] = Counter()
    rows = await session.execute(
        select(Milestone, Plan.household_id)
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(
            Milestone.state == "pending",
            Milestone.asked_at.is_(None),
            Milestone.due_on <= today,
        )
        .order_by(Milestone.id)
    )
    for milestone, household_id in rows:
        contacts = await people.household_contacts(session, household_id)
        queued["milestone"] += await notify(
            session,
            contacts,
            partial(question, milestone=milestone),
            key=f"milestone:{milestone.id}",
        )
        milestone.asked_at = now
    return TickResult(queued)


async def answer(
    session: AsyncSession,
    household: Household,
    milestone: Milestone,
    *,
    done: bool,
    today: date,
    actor: str,
    now: datetime,
) -> None:
    """Record the answer and tell the officer: done as news, not done as an alert."""
    milestone.state = "done" if done else "missed"
    milestone.done_on = today if done else None
    milestone.answered_by = actor
    if not done:
        await alerts.raise_alert(
            session,
            household,
            "milestone_missed",
            str(milestone.id),
            now,
            text=milestone.text,
            day=f"{milestone.due_on:%d/%m/%Y}",
        )
        return

    def news(t: Translator) -> Reply:
        return Reply(
            t._("Hộ {name} ({code}) báo: đã xong «{text}» (hẹn {day}).").format(
                name=household.head_name,
                code=household.code,
                text=milestone.text,
                day=t.date(milestone.due_on),
            )
        )

    await notify(
        session,
        await people.responsible_contacts(session, household),
        news,
        key=f"milestone:{milestone.id}:done",
    )
