"""Issue 20, item 5: old messages' texts are redacted, then rows nothing needs deleted;
the diary's links to its messages, notices' counts and anything unsettled are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import RetentionConfig, Settings
from bot.db import transaction
from bot.scheduler import run_retention
from bot.services.messaging.retention import REDACTED, clean
from models import Broadcast, Entry, Inbound, Outbox
from tests.dialog import Dialog, MemoryChannel, joined_household, make_app, seed_programme

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


async def age(sessions: async_sessionmaker[AsyncSession], days: int) -> None:
    """Everything so far happened ``days`` ago."""
    then = NOW - timedelta(days=days)
    async with transaction(sessions) as session:
        await session.execute(update(Inbound).values(received_at=then))
        await session.execute(update(Outbox).values(created_at=then))


async def diary_chat(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], *texts: str
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "501")
    await joined_household(dialog, programme.households[0].invite)
    for text in texts:
        await dialog.say(text)


async def test_old_texts_redacted_then_deleted_links_and_counts_kept(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await diary_chat(settings, sessions, "bán heo 3 triệu")
    async with transaction(sessions) as session:
        notice = Broadcast(text_vi="Họp xã thứ Bảy", status="done", counts={"sent": 1})
        session.add(notice)
        await session.flush()
        session.add(
            Outbox(
                key="bc:1:501", channel="telegram", address="501", status="sent",
                body={"text": "Họp xã thứ Bảy"}, broadcast_id=notice.id,
            )
        )  # fmt: skip
    await age(sessions, 500)
    async with transaction(sessions) as session:  # what waits is never touched
        session.add(
            Inbound(channel="telegram", external_id="late", address="501",
                    payload={"kind": "text", "text": "mua phân 500k"}, status="pending",
                    received_at=NOW - timedelta(days=500))
        )  # fmt: skip
        session.add(
            Outbox(key="waiting", channel="telegram", address="501", status="pending",
                   body={"text": "Đã ghi: mua phân"}, created_at=NOW - timedelta(days=500))
        )  # fmt: skip
    async with sessions() as session:
        handled = await session.scalar(select(func.count()).where(Inbound.status == "done"))
        linked = await session.scalar(select(Entry.inbound_id))
    assert handled == 3 and linked is not None  # /start, consent, the entry

    async with transaction(sessions) as session:
        cleaned = await clean(session, RetentionConfig(), NOW)
    assert (cleaned.inbound_deleted, cleaned.outbox_deleted) == (2, 3)
    async with sessions() as session:
        kept = {row.id: row for row in await session.scalars(select(Inbound))}
        outbox = {row.key: row for row in await session.scalars(select(Outbox))}
        entry = await session.scalar(select(Entry))
    assert entry is not None and entry.inbound_id in kept  # the diary's link
    assert kept[entry.inbound_id].payload == REDACTED
    assert [row.payload["text"] for row in kept.values() if row.status == "pending"] == [
        "mua phân 500k"
    ]
    assert set(outbox) == {"bc:1:501", "waiting"}  # the notice's row stays, counted
    assert outbox["bc:1:501"].body == REDACTED and outbox["bc:1:501"].status == "sent"
    assert outbox["waiting"].body["text"] == "Đã ghi: mua phân"


async def test_texts_between_the_two_ages_are_redacted_only_once(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await diary_chat(settings, sessions, "bán heo 3 triệu", "tiền điện 230")
    await age(sessions, 100)
    async with sessions() as session:
        payloads = list(await session.scalars(select(Inbound.payload)))
        outbox = await session.scalar(select(func.count(Outbox.id)))
    inbound = sum(1 for p in payloads if "redacted" not in p)  # /start: kept only redacted
    assert inbound == 3
    async with transaction(sessions) as session:
        first = await clean(session, RetentionConfig(), NOW)
    assert (first.inbound_redacted, first.outbox_redacted) == (inbound, outbox)
    assert (first.inbound_deleted, first.outbox_deleted) == (0, 0)
    async with sessions() as session:
        texts = [p for p in await session.scalars(select(Inbound.payload))]
        bodies = [b for b in await session.scalars(select(Outbox.body))]
    assert all(p.get("redacted") for p in texts) and all(b == REDACTED for b in bodies)
    # The scheduler's job, next day: nothing left to do; younger rows are left alone.
    later = Settings(database=settings.database, retention={"redact_after_days": 101})
    assert (await run_retention(sessions, later, lambda: NOW)).inbound_redacted == 0
    async with transaction(sessions) as session:
        again = await clean(session, RetentionConfig(), NOW)
    assert again == type(again)()


def test_deleting_before_redacting_is_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        RetentionConfig(redact_after_days=90, delete_after_days=30)
    assert RetentionConfig(delete_after_days=0).delete_after_days == 0
