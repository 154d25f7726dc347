"""A household's request for help: what it is about, opening it, and who answers."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.language.talk import talk
from bot.textutil import fold
from models import Case, Household

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
