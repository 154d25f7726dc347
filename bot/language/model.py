"""What reading a message yields: entries, or a question to ask back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One sum of money read from a message."""

    kind: str  # one of lexicon.KINDS: income, expense, borrow, repay, interest, lend, …
    amount: int  # whole đồng, > 0
    category: str  # a code of CATEGORIES
    date: date
    time: time | None  # only when the message gives a time of day
    text: str  # the piece of the message this entry came from
    keyword: str | None  # the folded word(s) that decided the category

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "amount": self.amount,
            "category": self.category,
            "date": self.date.isoformat(),
            "time": self.time.strftime("%H:%M") if self.time is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Clarify:
    """A question to ask back before anything is recorded.

    ``reason`` is "direction" (a sum with no verb: Thu / Chi / Vay / Trả nợ?),
    "amount" (a verb with no sum: how much?), "too_large" (over the ceiling: is it
    right?), "unit_price" (a price per unit and no count: the total?), "future_date" (a
    date written in full that has not come) or "unreadable" (a sum that cannot be read in
    đồng, e.g. "500 đô", "-5 triệu").
    """

    reason: str
    amount: int | None  # the sum found, if any
    category_hint: str | None  # the category the words suggest (for the known kind, if any)
    text: str
    date: date
    time: time | None = None
    kind: str | None = None  # the kind, when the message says it ("amount", "too_large")
    keyword: str | None = None


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything read from one message.

    No entries and no ``clarify``: not a diary message (a greeting, a question).
    With ``clarify`` set, ``entries`` is empty (the contract: record nothing until the
    household answers) and the parts that were clear wait in ``pending``, to be
    recorded together with the answered entry.
    """

    entries: tuple[ParsedEntry, ...]
    clarify: Clarify | None
    amounts: tuple[int, ...]  # every sum of money found, in order, whatever its direction
    pending: tuple[ParsedEntry, ...] = ()

    @property
    def is_diary(self) -> bool:
        return bool(self.entries) or self.clarify is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "entries": [entry.to_json() for entry in self.entries],
            "clarify": self.clarify is not None,
            "ask": self.clarify.reason if self.clarify is not None else None,
            "amounts": list(self.amounts),
        }
