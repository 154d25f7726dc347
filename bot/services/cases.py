"""A household's request for help: what it is about, opening it, and who answers."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Reply
from bot.i18n import N_, Translator
from bot.language.talk import talk
from bot.services import people
from bot.services.audit import audit
from bot.services.notify import notify
from bot.textutil import fold
from models import PRIORITY_REPLY, Case, Household, Officer

ANSWER_TO_HOUSEHOLD = N_("Cán bộ {officer} trả lời:\n{answer}")
TAKEN_TO_HOUSEHOLD = N_("Cán bộ {officer} đã nhận lời nhờ giúp của anh/chị và sẽ liên hệ sớm.")

_NEED = re.compile(r"\b(can|muon|xin|nho|giup)\b")
_ADVICE = re.compile(r"\btu van\b")
_LEGAL = re.compile(r"\b(luat su|tro giup phap ly|tu van (phap luat|luat))\b")
_ABROAD = re.compile(
    r"\b(nuoc ngoai|xuat khau lao dong|xkld|han quoc|nhat ban|dai loan|di han|di nhat)\b"
)
# Folded phrases that ask a *person* for help, by topic (checked in this order): each is a
# sequence of patterns found one after another on one line.  A plain question ("bị quỵt
# lương thì sao") is not one: the information search answers it.
_TOPICS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (
    ("legal_aid", (_NEED, _LEGAL)),
    ("overseas_work", (_NEED, _ADVICE, _ABROAD)),
    (
        "loan",
        (re.compile(r"^(toi |em |minh |nha toi )?(can|muon|xin) (duoc )?vay( von)?\b(?!.*\d)"),),
    ),
    (
        "help",
        (
            re.compile(
                r"\b(can|muon|xin|nho|giup) (duoc )?(giup|giup do|ho tro|tu van)\b"
                r"|\bcan nguoi giup\b"
            ),
        ),
    ),
)


def _in_order(line: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """Whether the patterns match one after another in ``line``.

    The same as one regex ``a.*b.*c``, in linear time: that regex tries every ``a`` with
    every ``b`` after it, which a crafted 4,096-character message turned into seconds.
    The earliest match of each leaves the most room for the next, so it is enough.
    """
    at = 0
    for pattern in patterns:
        found = pattern.search(line, at)
        if found is None:
            return False
        at = found.end()
    return True


def help_topic(text: str) -> str | None:
    """The topic of a message that asks a person for help, or ``None``; a plain plea
    ("giúp tôi với", "nhờ cán bộ") is a request for help."""
    lines = fold(text).strip().split("\n")
    for topic, patterns in _TOPICS:
        if any(_in_order(line, patterns) for line in lines):
            return topic
    return "help" if talk().asks_for_help(text) else None


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
