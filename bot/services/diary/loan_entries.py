"""What a diary entry does to the household's loans: a borrowing or lending opens one, a
payment goes to the loan it names (or the only open one), and undoing an entry takes
its loan away while the payments already made stay in the diary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.language.loans import purpose_of, same_party
from bot.services.diary import loans
from bot.services.diary.loans import LoanLedger
from models import Entry, Loan

# The entries that open a loan or pay into one.
LOAN_KINDS = frozenset(loans.OPENS) | frozenset(loans.PAYS_INTO)


async def open_loan(session: AsyncSession, entry: Entry) -> Loan:
    """A loan for a borrowing or lending, its party and purpose read from the entry."""
    purpose, categories = purpose_of(entry.text) if entry.kind == "borrow" else (None, None)
    loan = Loan(
        household_id=entry.household_id,
        lender=loans.lender_of(entry.text),
        purpose=purpose,
        purpose_categories=categories,
    )
    session.add(loan)
    await session.flush()
    entry.loan_id = loan.id
    return loan


async def payment_candidates(
    session: AsyncSession, entry: Entry
) -> tuple[list[LoanLedger], str | None]:
    """The open loans a payment may go to, and the party its text names, if any."""
    candidates = await loans.household_ledgers(
        session, entry.household_id, direction=loans.PAYS_INTO[entry.kind], open_only=True
    )
    return loans.match_payment(candidates, entry.text)


async def link(session: AsyncSession, entry: Entry, loan: Loan) -> LoanLedger:
    """Tie ``entry`` to ``loan``; the loan's figures with it."""
    entry.loan_id = loan.id
    await session.flush()
    found = await loans.ledger_of(session, loan.id)
    assert found is not None
    return found


async def payable_loan(
    session: AsyncSession, household_id: int, entry: Entry, loan_id: int
) -> LoanLedger | None:
    """The household's loan ``loan_id`` if ``entry`` (a payment) may go to it."""
    found = await loans.ledger_of(session, loan_id)
    if (
        found is None
        or found.loan.household_id != household_id
        or found.direction != loans.PAYS_INTO[entry.kind]
    ):
        return None
    return found


@dataclass(frozen=True, slots=True)
class Removed:
    """A loan whose opening entry was undone, and where its payments went."""

    loan: Loan
    direction: str
    payments: list[Entry]
    heir: Loan | None  # the other open loan with the same party, if any


async def after_undo(
    session: AsyncSession, entries: Sequence[Entry]
) -> list[tuple[Entry, LoanLedger | Removed]]:
    """What undoing ``entries`` did to their loans, one result per loan touched.

    A loan whose borrowing (or lending) is undone is gone.  The repayments already tied
    to it were real money and stay in the diary: they go to the household's other open
    loan with the same party when there is one (the borrowing was written twice), else
    they stay as repayments of no loan.
    """
    await session.flush()
    results: list[tuple[Entry, LoanLedger | Removed]] = []
    touched = {entry.loan_id: entry for entry in entries if entry.loan_id is not None}
    for loan_id, entry in touched.items():
        found = await loans.ledger_of(session, loan_id)
        if found is not None:
            results.append((entry, found))
        elif entry.kind in loans.OPENS:
            results.append((entry, await _remove(session, loan_id, loans.OPENS[entry.kind])))
    return results


async def _remove(session: AsyncSession, loan_id: int, direction: str) -> Removed:
    loan = await session.get(Loan, loan_id)
    assert loan is not None
    payments = await loans.payments_of(session, loan_id)
    heir = None
    if payments:
        others = [
            other
            for other in await loans.household_ledgers(
                session, loan.household_id, direction=direction, open_only=True
            )
            if same_party(loan.lender, other.loan.lender)
        ]
        heir = others[0].loan if others else None
        for payment in payments:
            payment.loan_id = heir.id if heir is not None else None
    return Removed(loan, direction, payments, heir)
