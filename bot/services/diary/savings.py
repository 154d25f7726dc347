"""Money put aside (hụi, savings book, piggy bank, savings group) and taken out again.

``save`` entries put money in, ``withdraw`` entries take it out; neither is income or
spending.  Which pot an entry belongs to is read from its text each time, so a corrected
or undone entry counts where it now says.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.language import MOVE_CATEGORY
from bot.language.savings import pot_names, pot_of
from models import Entry

SAVINGS_KINDS = tuple(kind for kind, category in MOVE_CATEGORY.items() if category == "savings")


@dataclass
class Pot:
    """One kind of savings: what went in and what came out (đồng)."""

    put_in: int = 0
    taken_out: int = 0

    @property
    def balance(self) -> int:
        """Left in the pot; below zero when more came out than the diary saw go in (a hụi
        already taken, whose later rounds are still to pay, or savings from before)."""
        return self.put_in - self.taken_out


async def pots(session: AsyncSession, household_id: int) -> dict[str, Pot]:
    """The household's pots in the lexicon's order, only those with entries."""
    rows = await session.execute(
        select(Entry.kind, Entry.amount, Entry.text).where(
            Entry.household_id == household_id,
            Entry.deleted_at.is_(None),
            Entry.kind.in_(SAVINGS_KINDS),
        )
    )
    found: dict[str, Pot] = {}
    for kind, amount, text in rows:
        pot = found.setdefault(pot_of(text or ""), Pot())
        if kind == "save":
            pot.put_in += int(amount)
        else:
            pot.taken_out += int(amount)
    return {name: found[name] for name in pot_names() if name in found}


def total(found: dict[str, Pot]) -> Pot:
    return Pot(
        sum(pot.put_in for pot in found.values()), sum(pot.taken_out for pot in found.values())
    )
