"""Loans: who lent, for what, what was repaid, and whether the money went to its purpose."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.textutil import fold
from models import Entry, Loan

# Folded words in a loan message → the lender's name.
LENDERS = (
    (("ngan hang chinh sach", "nhcs", "chinh sach xa hoi"), "Ngân hàng Chính sách xã hội"),
    (("agribank", "nong nghiep"), "Agribank"),
    (("hoi phu nu",), "Hội Phụ nữ"),
    (("hoi nong dan",), "Hội Nông dân"),
    (("quy tin dung",), "Quỹ tín dụng nhân dân"),
    (("ngan hang",), "Ngân hàng"),
)
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


def lender_of(text: str) -> str:
    folded = fold(text)
    for words, name in LENDERS:
        if any(word in folded for word in words):
            return name
    return "Khác"


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


async def open_loans(session: AsyncSession, household_id: int) -> list[Loan]:
    return list(
        await session.scalars(
            select(Loan)
            .where(Loan.household_id == household_id, Loan.closed.is_(False))
            .order_by(Loan.disbursed_on, Loan.id)
        )
    )


async def repaid(session: AsyncSession, loan_id: int) -> int:
    total = await session.scalar(
        select(func.sum(Entry.amount)).where(
            Entry.loan_id == loan_id, Entry.kind == "repay", Entry.deleted_at.is_(None)
        )
    )
    return int(total or 0)


def match_repayment(loans: list[Loan], text: str) -> Loan | None:
    """The loan a repayment belongs to: the one whose lender the message names, else the
    oldest open one."""
    if not loans:
        return None
    lender = lender_of(text)
    named = [loan for loan in loans if loan.lender == lender]
    return (named or loans)[0]


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


async def use_of(session: AsyncSession, loan: Loan, *, until: date | None = None) -> LoanUse:
    end = until or date.max
    rows = await session.execute(
        select(Entry.category, func.sum(Entry.amount))
        .where(
            Entry.household_id == loan.household_id,
            Entry.kind == "expense",
            Entry.deleted_at.is_(None),
            Entry.day >= loan.disbursed_on,
            Entry.day <= end,
        )
        .group_by(Entry.category)
    )
    allowed = set((loan.purpose_categories or "production").split(","))
    use = LoanUse()
    for category, amount in rows:
        use.by_category[category] = int(amount)
        if category in allowed:
            use.on_purpose += int(amount)
    return use


def due_soon(loan: Loan, today: date, days: int) -> bool:
    return loan.due_on is not None and today <= loan.due_on <= today + timedelta(days=days)
