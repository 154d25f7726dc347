"""Linkage groups (nhóm liên kết): households of an area, usually following one activity,
that learn from each other through the bot; their members and what they share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, Clipped, UtcDateTime, utcnow

# invited → member (agreed) or refused; a member may leave, the officer may remove.
MEMBER_STATES = ("invited", "member", "refused", "left", "removed")
POST_KINDS = ("tip", "question", "photo", "answer")


class LinkGroup(Base):
    """A group of an area, with a leader household and optionally a monthly meeting day."""

    __tablename__ = "link_group"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    name: Mapped[str] = mapped_column(Clipped(200))
    activity: Mapped[str | None] = mapped_column(String(32))  # a code of activities.toml
    leader_household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    meeting_day: Mapped[int | None] = mapped_column(Integer)  # day of the month, 1–28
    author: Mapped[str] = mapped_column(String(64))  # "officer:12" or "cli"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class GroupMember(Base):
    """A household invited to a group, and what it agreed to: being a member, its first
    name shown to the others, its figures shown to the others."""

    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "household_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("link_group.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="invited")
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    show_figures: Mapped[bool] = mapped_column(Boolean, default=False)
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class GroupPost(Base):
    """A tip, question, photo caption or answer a member (or the officer) sent to the
    group; an answer points at the post it answers.  A hidden post is sent no further."""

    __tablename__ = "group_post"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("link_group.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("group_post.id"))
    kind: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    hidden_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
