"""Plans out of poverty: the activities a household follows, diary entries tagged with
an activity, the plan with its milestones, and the household's status history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, UtcDateTime, utcnow

TAG_SOURCES = ("words", "loan", "asked", "changed")
MILESTONE_STATES = ("pending", "done", "missed")


class HouseholdActivity(Base):
    """A livelihood activity (a code of ``bot/plans/activities.toml``) the household follows."""

    __tablename__ = "household_activity"
    __table_args__ = (UniqueConstraint("household_id", "activity"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    activity: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class EntryActivity(Base):
    """The activity a diary entry belongs to, and how that was decided (``TAG_SOURCES``)."""

    __tablename__ = "entry_activity"
    __table_args__ = (Index("ix_entry_activity_activity", "activity"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id"), primary_key=True)
    activity: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(8))
    tagged_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Plan(Base):
    """A household's plan out of poverty, made with its officer: income per person above
    the poverty line by ``target_month``, and the resources to connect."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), unique=True)
    target_month: Mapped[date | None] = mapped_column(Date)  # the month's first day
    # e.g. ["loan", "training"]: see bot.plans.plans.RESOURCES
    resources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))  # "officer:12" or "cli"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Milestone(Base):
    """A dated step of a plan ("mua 2 con bò giống – tháng 3"); asked about on its day."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(8), default="pending")
    done_on: Mapped[date | None] = mapped_column(Date)
    asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(64))


class StatusChange(Base):
    """One change of a household's status (poor → near_poor → escaped), dated, with who."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    old_status: Mapped[str | None] = mapped_column(String(16))
    new_status: Mapped[str] = mapped_column(String(16))
    changed_on: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
