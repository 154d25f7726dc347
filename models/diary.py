"""The household diary: entries, loans and per-household category corrections."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, Clipped, UtcDateTime, utcnow


class Entry(Base):
    """One sum of the diary; ``kind`` is one of bot.language.KINDS (the contract's nine)."""

    __tablename__ = "entry"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_entry_household_date", "household_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)  # đồng, never a float
    category: Mapped[str] = mapped_column(String(24))
    day: Mapped[date] = mapped_column(Date)
    at_time: Mapped[time | None] = mapped_column(Time)
    text: Mapped[str] = mapped_column(Text, default="")
    keyword: Mapped[str | None] = mapped_column(Clipped(64))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loan.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Loan(Base):
    """A debt between the household and someone else: money borrowed, or lent out.

    It holds only what the household said about it (who, what for, when due).  Its
    figures (principal, repaid, interest, what is owed, the day it began, whether it is
    closed, even which way it goes) are read from its live entries (``Entry.loan_id``):
    see ``bot.services.diary.loans``.  So undoing or correcting an entry changes the loan at
    once, and a loan whose borrowing (or lending) was undone is gone everywhere.
    """

    __tablename__ = "loan"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    # The other side: who lent to the household, or who borrowed from it.
    lender: Mapped[str] = mapped_column(Clipped(200))
    purpose: Mapped[str | None] = mapped_column(Clipped(200))
    # Diary categories that count as spending on the purpose (e.g. "production").
    purpose_categories: Mapped[str | None] = mapped_column(Clipped(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CategoryOverride(Base):
    """A household's own correction: messages with ``keyword`` go to ``category``."""

    __tablename__ = "category_override"
    __table_args__ = (UniqueConstraint("household_id", "keyword"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    keyword: Mapped[str] = mapped_column(Clipped(64))
    category: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
