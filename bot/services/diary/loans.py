"""Loans as a ledger: money borrowed and lent out, what went back, interest, what is owed.

A ``Loan`` row keeps only what the household said (the other side, the purpose, the due
date).  Its figures are read from its live entries (``Entry.loan_id``, not undone):

* principal: ``borrow`` entries (a debt of the household) or ``lend`` entries (money
  lent out); which of the two decides the loan's direction;
* paid back: ``repay`` (the household paid principal) or ``collect`` (lent money came
  back);
* interest: ``interest`` entries, the cost of a debt, which never lower what is owed.

So undoing or correcting any entry changes the loan the same moment, and a loan whose
borrowing was undone has no principal and is gone everywhere (``/vay``, reminders, the
officers' alerts and report).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.language.loans import party_of, same_party
from models import Entry, Loan

BORROWED, LENT = "borrowed", "lent"
# Which loans an entry of a kind pays into: repayments and interest go to debts of the
# household, collections to money it lent out.
PAYS_INTO = {"repay": BORROWED, "interest": BORROWED, "collect": LENT}
OPENS = {"borrow": BORROWED, "lend": LENT}
UNNAMED = "Khác"  # the other side, when the message names nobody


def lender_of(text: str) -> str:
    """The lender a borrowing names, or ``UNNAMED``."""
    return party_of(text) or UNNAMED


@dataclass(frozen=True, slots=True)
class LoanLedger:
    """A loan with its figures, as of the day they were read for (đồng)."""

    loan: Loan
    borrowed: int  # principal of ``borrow`` entries
    lent: int  # principal of ``lend`` entries
    repaid: int
    collected: int
    interest: int
    since: date  # the day of its first borrowing or lending

    @property
    def direction(self) -> str:
        return LENT if self.lent > self.borrowed else BORROWED

    @property
    def principal(self) -> int:
        return max(self.borrowed, self.lent)

    @property
    def paid_back(self) -> int:
        return self.collected if self.direction == LENT else self.repaid

    @property
    def owed(self) -> int:
        return max(0, self.principal - self.paid_back)

    @property
    def closed(self) -> bool:
        return self.owed == 0

    @property
    def id(self) -> int:
        return self.loan.id


def figures(until: date | None = None) -> Subquery:
    """Per loan, sums of its live entries by kind (up to ``until``), and its first day."""

    def total(kind: str) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((Entry.kind == kind, Entry.amount), else_=0)), 0)

    live: list[ColumnElement[bool]] = [Entry.loan_id.is_not(None), Entry.deleted_at.is_(None)]
    if until is not None:
        live.append(Entry.day <= until)
    return (
        select(
            Entry.loan_id.label("loan_id"),
            total("borrow").label("borrowed"),
            total("lend").label("lent"),
            total("repay").label("repaid"),
            total("collect").label("collected"),
            total("interest").label("interest"),
            func.min(case((Entry.kind.in_(tuple(OPENS)), Entry.day))).label("since"),
        )
        .where(*live)
        .group_by(Entry.loan_id)
        .subquery("loan_figures")
    )


async def ledgers(
    session: AsyncSession,
    *where: ColumnElement[bool],
    until: date | None = None,
    direction: str | None = None,
    open_only: bool = False,
) -> list[LoanLedger]:
    """The loans (``where`` filters ``Loan``) that still have their principal, with their
    figures, oldest first.  A loan whose borrowing or lending was undone is left out."""
    sums = figures(until)
    rows = await session.execute(
        select(
            Loan,
            sums.c.borrowed,
            sums.c.lent,
            sums.c.repaid,
            sums.c.collected,
            sums.c.interest,
            sums.c.since,
        )
        .join(sums, sums.c.loan_id == Loan.id)
        .where(sums.c.since.is_not(None), *where)
        .order_by(sums.c.since, Loan.id)
    )
    found = [
        LoanLedger(loan, int(b), int(lent), int(r), int(c), int(i), since)
        for loan, b, lent, r, c, i, since in rows
    ]
    return [
        ledger
        for ledger in found
        if ledger.principal > 0
        and (direction is None or ledger.direction == direction)
        and not (open_only and ledger.closed)
    ]


async def household_ledgers(
    session: AsyncSession, household_id: int, **options: Any
) -> list[LoanLedger]:
    return await ledgers(session, Loan.household_id == household_id, **options)


async def ledger_of(session: AsyncSession, loan_id: int) -> LoanLedger | None:
    """One loan's figures; None once its principal is gone."""
    found = await ledgers(session, Loan.id == loan_id)
    return found[0] if found else None


def match_payment(candidates: list[LoanLedger], text: str) -> tuple[list[LoanLedger], str | None]:
    """The loans a repayment, interest payment or collection may belong to, and the party
    the message names (if any).  A named party narrows the loans to that party's (maybe
    none); an unnamed one leaves them all."""
    named = party_of(text)
    if named is None:
        return candidates, None
    return [c for c in candidates if same_party(named, c.loan.lender)], named


async def unmatched_payments(session: AsyncSession, household_id: int) -> Counter[str]:
    """Repayments, interest and collections kept in the diary but tied to no live loan."""
    sums = figures()
    live_loans = select(sums.c.loan_id).where(sums.c.since.is_not(None))
    rows = await session.execute(
        select(Entry.kind, func.sum(Entry.amount))
        .where(
            Entry.household_id == household_id,
            Entry.deleted_at.is_(None),
            Entry.kind.in_(tuple(PAYS_INTO)),
            (Entry.loan_id.is_(None)) | Entry.loan_id.not_in(live_loans),
        )
        .group_by(Entry.kind)
    )
    return Counter({kind: int(amount) for kind, amount in rows})


async def payments_of(session: AsyncSession, loan_id: int) -> list[Entry]:
    """The live repayments, interest payments and collections tied to a loan."""
    return list(
        await session.scalars(
            select(Entry)
            .where(
                Entry.loan_id == loan_id,
                Entry.deleted_at.is_(None),
                Entry.kind.in_(tuple(PAYS_INTO)),
            )
            .order_by(Entry.day, Entry.id)
        )
    )


@dataclass
class LoanUse:
    """Spending since a loan was disbursed, on its purpose and elsewhere."""

    by_category: Counter[str] = field(default_factory=Counter)
    on_purpose: int = 0

    @property
    def spent(self) -> int:
        return sum(self.by_category.values())

    @property
    def outside_share(self) -> float:
        return 0.0 if self.spent == 0 else 1 - self.on_purpose / self.spent


async def uses_of(
    session: AsyncSession, found: Iterable[LoanLedger], *, until: date | None = None
) -> dict[int, LoanUse]:
    """Per loan: the household's spending from the loan's first day (to ``until``), in
    one query for all the loans."""
    by_id = {ledger.id: ledger for ledger in found}
    if not by_id:
        return {}
    sums = figures(until)
    rows = await session.execute(
        select(Loan.id, Entry.category, func.sum(Entry.amount))
        .join(sums, sums.c.loan_id == Loan.id)
        .join(
            Entry,
            and_(
                Entry.household_id == Loan.household_id,
                Entry.kind == "expense",
                Entry.deleted_at.is_(None),
                Entry.day >= sums.c.since,
                Entry.day <= (until or date.max),
            ),
        )
        .where(Loan.id.in_(by_id))
        .group_by(Loan.id, Entry.category)
    )
    uses: dict[int, LoanUse] = {}
    for loan_id, category, amount in rows:
        use = uses.setdefault(loan_id, LoanUse())
        use.by_category[category] = int(amount)
        allowed = (by_id[loan_id].loan.purpose_categories or "production").split(",")
        if category in allowed:
            use.on_purpose += int(amount)
    return uses
