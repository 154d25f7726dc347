"""Who the bot serves: areas, households, officers, their chat accounts and invites."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, Clipped, UtcDateTime, utcnow

AREA_KINDS = ("province", "commune", "hamlet")
HOUSEHOLD_STATUSES = ("poor", "near_poor", "escaped")
OFFICER_ROLES = ("officer", "admin")


class Area(Base):
    """Province → commune (→ hamlet).  Since 2025 Vietnam has no district level; the
    former district is kept only as a label."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Clipped(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    former_district: Mapped[str | None] = mapped_column(Clipped(200))

    parent: Mapped[Area | None] = relationship(remote_side=[id])


class Officer(Base):
    __tablename__ = "officer"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Clipped(200))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="officer")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    area: Mapped[Area] = relationship()


class Household(Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    head_name: Mapped[str] = mapped_column(Clipped(200))
    members: Mapped[int] = mapped_column(Integer)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="poor")
    urban: Mapped[bool] = mapped_column(Boolean, default=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    hamlet: Mapped[str | None] = mapped_column(Clipped(200))
    livelihood_plan: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    area: Mapped[Area] = relationship()
    officer: Mapped[Officer | None] = relationship()


class Contact(Base):
    """One chat account on one channel, linked to a household or an officer."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(Clipped(200))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminder_time: Mapped[time | None] = mapped_column(Time)
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=True)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Named conversation state (see bot.core.state): survives restarts, shared by processes.
    state: Mapped[str | None] = mapped_column(String(64))
    state_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    household: Mapped[Household | None] = relationship()
    officer: Mapped[Officer | None] = relationship()


class Invite(Base):
    """A one-time code that links a chat account to a household or an officer."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class JoinAttempt(Base):
    """A wrong invite code typed by a chat account; counted to lock out guessing."""

    __tablename__ = "join_attempt"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
