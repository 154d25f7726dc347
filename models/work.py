"""The programme's work: alerts, cases, broadcasts, meetings and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, Clipped, UtcDateTime, utcnow


class Alert(Base):
    """One alert per cause: ``cause_key`` stops the same cause from alerting twice."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule: Mapped[str] = mapped_column(String(32))
    cause_key: Mapped[str] = mapped_column(String(128), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    severity: Mapped[str] = mapped_column(String(8), default="normal")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open|acknowledged|resolved
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Case(Base):
    """A household's request for help (help, legal aid, overseas-work counselling)."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open|taken|answered|closed
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Broadcast(Base):
    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    text_vi: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(200), default="all")
    author_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    scheduled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # scheduled | sending | done
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    # Left out when queued (not joined, consent withdrawn, blocked); sent/failed are counted
    # from the outbox rows.
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # One copy of a photo or file for every recipient's outbox row.
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    attachment_name: Mapped[str | None] = mapped_column(Clipped(200))
    attachment_kind: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Meeting(Base):
    """The monthly dialogue meeting of an area."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # A linkage group's meeting invites the group's members instead of the area's.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("link_group.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    place: Mapped[str] = mapped_column(Clipped(300))
    agenda: Mapped[str] = mapped_column(Text, default="")
    issues_raised: Mapped[str | None] = mapped_column(Text)
    held: Mapped[bool | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MeetingInvite(Base):
    __tablename__ = "meeting_invite"
    __table_args__ = (UniqueConstraint("meeting_id", "household_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    answer: Mapped[str | None] = mapped_column(String(12))  # yes|no
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    question: Mapped[str | None] = mapped_column(Text)
    attended: Mapped[bool | None] = mapped_column(default=None)


class Audit(Base):
    """Who looked at or changed which household's data."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # "officer:12", "contact:7", "cli"
    action: Mapped[str] = mapped_column(String(64))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
