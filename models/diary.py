"""The household diary: entries, loans and per-household category corrections."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
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

ENTRY_KINDS = ("income", "expense", "borrow", "repay")


class Entry(Base):
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
    __tablename__ = "loan"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    lender: Mapped[str] = mapped_column(Clipped(200))
    amount: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str | None] = mapped_column(Clipped(200))
    # Diary categories that count as spending on the purpose (e.g. "production").
    purpose_categories: Mapped[str | None] = mapped_column(Clipped(200))
    disbursed_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
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
