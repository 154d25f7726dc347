"""The two ends of a message's path (DESIGN §2): the inbound and outbox tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, UtcDateTime, utcnow

# Outbox priorities: lower is sent first.  Replies go ahead of bulk sends.
PRIORITY_REPLY = 0
PRIORITY_NOTICE = 5
PRIORITY_BULK = 9
# What an inbound payload or an outbox body becomes once its words are forgotten (privacy,
# retention): the row stays for the counts and idempotency keys, the text goes.
REDACTED: dict[str, Any] = {"redacted": True}


class Inbound(Base):
    """An update from a platform, stored before the platform is told it was received."""

    __tablename__ = "inbound"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_inbound_pending", "status", "id"),
        # One chat's updates in order: the processor checks none older is still pending.
        Index("ix_inbound_chat", "channel", "address", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Outbox(Base):
    """A message to send; ``key`` makes every send idempotent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "channel", "status", "priority", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=PRIORITY_REPLY)
    # The rendered Reply: text, buttons, edit target (see bot.core.contract).
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    # pending | sent | failed | blocked
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(64))
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcast.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
