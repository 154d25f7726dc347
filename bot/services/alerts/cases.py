"""A household's request for help: opening it, finding the open ones, taking it on,
answering and closing it (from the chat or the web page).  What it is about is read by
:mod:`bot.language.help`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Reply
from bot.i18n import N_, Translator
from bot.services.messaging.notify import notify
from bot.services.people import people
from bot.services.people.audit import audit
from models import PRIORITY_REPLY, Case, Household, Officer

ANSWER_TO_HOUSEHOLD = N_("Cán bộ {officer} trả lời:\n{answer}")
TAKEN_TO_HOUSEHOLD = N_("Cán bộ {officer} đã nhận lời nhờ giúp của anh/chị và sẽ liên hệ sớm.")


async def open_case(
    session: AsyncSession, household: Household, topic: str, text: str, now: datetime
) -> Case:
    """A request of ``household`` about ``topic``, in its own words (the first 2,000
    characters), flushed so that its id can go on buttons."""
    case = Case(household_id=household.id, topic=topic, text=text[:2000], opened_at=now)
    session.add(case)
    await session.flush()
    return case


async def unclosed_cases(session: AsyncSession, household_id: int, limit: int) -> list[Case]:
    """The household's latest requests not closed yet, newest first."""
    return list(
        await session.scalars(
            select(Case)
            .where(Case.household_id == household_id, Case.status != "closed")
            .order_by(Case.opened_at.desc())
            .limit(limit)
        )
    )


async def take(session: AsyncSession, case: Case, officer: Officer, now: datetime) -> None:
    """The officer takes the request on (chat's "Nhận xử lý", the web page's); the
    household is told who will help."""
    if case.status != "open":
        return
    case.status, case.officer_id, case.taken_at = "taken", officer.id, now

    def message(t: Translator) -> Reply:
        return Reply(t._(TAKEN_TO_HOUSEHOLD).format(officer=officer.name))

    await notify(
        session,
        await people.household_contacts(session, case.household_id),
        message,
        key=f"case:{case.id}:taken",
        priority=PRIORITY_REPLY,
    )
    await audit(
        session,
        f"officer:{officer.id}",
        "case.take",
        household_id=case.household_id,
        case_id=case.id,
    )


async def answer(
    session: AsyncSession, case: Case, officer: Officer, text: str, now: datetime, *, key: str
) -> Household:
    """The officer's answer goes, word for word, to every chat of the household (from the
    chat or the web page); ``key`` makes this answer's messages unique."""
    household = await session.get(Household, case.household_id)
    assert household is not None
    case.answer = text[:4000]
    case.status, case.answered_at = "answered", now
    case.officer_id = case.officer_id or officer.id

    def message(t: Translator) -> Reply:
        return Reply(t._(ANSWER_TO_HOUSEHOLD).format(officer=officer.name, answer=case.answer))

    await notify(
        session,
        await people.household_contacts(session, household.id),
        message,
        key=key,
        priority=PRIORITY_REPLY,
    )
    await audit(
        session, f"officer:{officer.id}", "case.answer", household_id=household.id, case_id=case.id
    )
    return household


async def close(session: AsyncSession, case: Case, officer: Officer, now: datetime) -> None:
    """Nothing more to do for this request."""
    if case.status != "closed":
        case.status = "closed"
        case.answered_at = case.answered_at or now
        case.officer_id = case.officer_id or officer.id
    await audit(
        session,
        f"officer:{officer.id}",
        "case.close",
        household_id=case.household_id,
        case_id=case.id,
    )
