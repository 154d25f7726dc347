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

import calendar
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.textutil import fold
from models import Entry, Loan

BORROWED, LENT = "borrowed", "lent"
# Which loans an entry of a kind pays into: repayments and interest go to debts of the
# household, collections to money it lent out.
PAYS_INTO = {"repay": BORROWED, "interest": BORROWED, "collect": LENT}
OPENS = {"borrow": BORROWED, "lend": LENT}
UNNAMED = "Khác"  # the other side, when the message names nobody

# Folded words in a loan message → the lender's name.
LENDERS = (
    (("ngan hang chinh sach", "nhcs", "chinh sach xa hoi"), "Ngân hàng Chính sách xã hội"),
    (("agribank", "ngan hang nong nghiep"), "Agribank"),
    (("hoi phu nu",), "Hội Phụ nữ"),
    (("hoi nong dan",), "Hội Nông dân"),
    (("quy tin dung",), "Quỹ tín dụng nhân dân"),
    (("ngan hang",), "Ngân hàng"),
)
BANKS = frozenset(
    fold(name)
    for name in ("Ngân hàng Chính sách xã hội", "Agribank", "Ngân hàng", "Quỹ tín dụng nhân dân")
)
# A person is named by a kinship word and a name: "chị Tư", "cô Ba", "anh Hai", "dì Út",
# "chú Bảy", "bà Năm", "chi Lan".  With diacritics the kinship word must be written so
# ("đi" is not "dì"); without, its folded form is enough.
KINSHIP = frozenset(
    ("anh", "chị", "em", "cô", "chú", "bác", "dì", "cậu", "mợ", "thím", "dượng", "ông", "bà", "o")
)
_KINSHIP_FOLDED = frozenset(fold(word) for word in KINSHIP)
# Southern names by birth order: names even where they are also numbers ("cô Ba").
ORDINAL_NAMES = frozenset(("hai", "ba", "tu", "nam", "sau", "bay", "tam", "chin", "muoi", "ut"))
# Words after a kinship word that are not a name ("anh ấy", "bà con", "chị trả").
_NOT_NAMES = frozenset(
    (
        *("ay", "ta", "oi", "nay", "kia", "do", "no", "lai", "tien", "voi", "va", "cua", "o"),
        *("de", "nhe", "a", "roi", "duoc", "con", "em", "chi", "anh", "minh", "toi", "nha"),
        *("vay", "muon", "tra", "gop", "hot", "dong", "mua", "ban", "cho", "lay", "nhan", "gui"),
        *("rut", "choi", "di", "ve", "an", "lam", "xin", "hoi", "hui", "the", "thi", "ma", "la"),
        *("nuoi", "trong", "sua", "xay", "hoc", "kham", "giong", "phan", "bo", "heo", "ga"),
    )
)
# Number and money words: "vay ba mươi triệu" names nobody.
_NUMBER_WORDS = frozenset(
    (
        *("mot", "hai", "ba", "bon", "tu", "nam", "sau", "bay", "tam", "chin", "muoi", "tram"),
        *("chuc", "nghin", "ngan", "trieu", "tr", "cu", "ty", "ti", "xi", "ruoi", "k", "dong"),
        *("linh", "le", "lit"),
    )
)
# People named without a name.
PEOPLE = ("hang xom", "nguoi quen", "dai ly", "tiem")

# Words of a purpose → the diary categories where the money should go.
PURPOSES = (
    (("nuoi", "giong", "trong", "phan", "chuong", "ao", "mua bo", "mua heo", "cay"), "production"),
    (("buon ban", "mo tiem", "tap hoa", "ban hang", "von lam an"), "production"),
    (("sua nha", "xay nha", "lam nha"), "household"),
    (("hoc", "hoc phi"), "education"),
    (("chua benh", "kham", "vien phi"), "health"),
    (("nuoc sach", "ve sinh"), "utilities"),
)
_PURPOSE_AFTER = re.compile(r"(?:de |cho |mua |nuoi |trong |lam |sua |xay )(.+)$")
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?\s*$")
_IN_MONTHS = re.compile(r"^\s*(\d{1,3})\s*(thang|nam)\s*(?:nua|toi|sau)?\s*$")
_WORD = re.compile(r"\w+")


def party_of(text: str) -> str | None:
    """The other side a loan message names: a bank or association (its proper name), a
    person ("chị Tư", as written), or someone named by a noun ("hàng xóm"); else None."""
    folded = fold(text)
    for aliases, name in LENDERS:
        if any(re.search(rf"\b{alias}\b", folded) for alias in aliases):
            return name
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    return _person(words) or _someone(words)


def _person(words: list[str]) -> str | None:
    folded = [fold(word) for word in words]
    for at in range(len(words) - 1):
        kin, name = words[at], words[at + 1]
        is_kin = folded[at] in _KINSHIP_FOLDED if kin.isascii() else kin.lower() in KINSHIP
        if not is_kin or not name.isalpha():
            continue
        following = folded[at + 2] if at + 2 < len(words) else ""
        if following in _NUMBER_WORDS and folded[at + 1] in _NUMBER_WORDS:
            continue  # "ba mươi triệu": a number, not a name
        if (
            folded[at + 1] in ORDINAL_NAMES
            or name[0].isupper()
            or (folded[at + 1] not in _NOT_NAMES and folded[at + 1] not in _NUMBER_WORDS)
        ):
            return f"{kin} {name}"
    return None


def _someone(words: list[str]) -> str | None:
    folded = [fold(word) for word in words]
    for phrase in PEOPLE:
        size = len(phrase.split())
        for at in range(len(words) - size + 1):
            if " ".join(folded[at : at + size]) == phrase:
                return " ".join(words[at : at + size])
    return None


def lender_of(text: str) -> str:
    return party_of(text) or UNNAMED


def same_party(named: str, loan_party: str) -> bool:
    """Whether a message naming ``named`` speaks of a loan with ``loan_party``: the same
    name folded, or "ngân hàng" for any bank loan."""
    named_folded, loan_folded = fold(named), fold(loan_party)
    return named_folded == loan_folded or (named_folded == "ngan hang" and loan_folded in BANKS)


def purpose_of(text: str) -> tuple[str | None, str]:
    """The purpose as written ("nuôi bò") and the categories it allows (comma-separated)."""
    folded = fold(text)
    categories = [category for words, category in PURPOSES if any(w in folded for w in words)]
    match = _PURPOSE_AFTER.search(folded)
    purpose = None
    if match:
        # Take the same span from the original text, so the purpose keeps its diacritics.
        start = len(text) - len(match.group(0))
        purpose = text[start:].strip(" .,") or None
    return purpose, ",".join(dict.fromkeys(categories or ["production"]))


def parse_due_date(text: str, *, today: date) -> date | None:
    """A due date: "30/6/2027", "30/6" (the next such day), "12 tháng", "2 năm"."""
    folded = fold(text)
    match = _DAY_MONTH_YEAR.match(folded)
    if match:
        day, month, year = int(match[1]), int(match[2]), match[3]
        try:
            if year:
                full_year = int(year) + (2000 if len(year) == 2 else 0)
                return date(full_year, month, day)
            candidate = date(today.year, month, day)
            return candidate if candidate > today else date(today.year + 1, month, day)
        except ValueError:
            return None
    match = _IN_MONTHS.match(folded)
    if match:
        count, unit = int(match[1]), match[2]
        return months_after(today, count * (12 if unit == "nam" else 1))
    return None


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
