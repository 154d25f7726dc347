"""Issue 8: targeting, exclusions, queueing once, progress and the final count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from bot.services import broadcasts
from bot.services.broadcasts import Target, TargetError
from bot.services.people.registry import add_area
from models import Broadcast, Contact, Household, Outbox
from tests.dialog import seed_joined_households, seed_programme

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


@pytest.fixture
async def programme(sessions: async_sessionmaker[AsyncSession]) -> None:
    """C1: 3 poor joined (one blocked), 1 near-poor joined, 1 poor not joined;
    C2 (another commune): 2 poor joined; one C1 chat reads English."""
    await seed_programme(sessions, households=1)  # "Hộ 1" in C1, not joined
    async with transaction(sessions) as session:
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
    await seed_joined_households(sessions, 3, first_address=100)
    await seed_joined_households(sessions, 1, first_address=200, status="near_poor")
    await seed_joined_households(sessions, 2, area="C2", first_address=300)
    async with transaction(sessions) as session:
        await session.execute(update(Contact).where(Contact.address == "102").values(blocked=True))
        await session.execute(update(Contact).where(Contact.address == "101").values(locale="en"))


def test_target_parsing() -> None:
    target = Target.parse(["area:C1,status:poor", "lang:vi"])
    assert (target.areas, target.statuses, target.languages) == (["C1"], ["poor"], ["vi"])
    assert str(Target.parse(["all"])) == "all"
    for bad in (["status:rich"], ["area:"], ["nobody"], ["lang:fr"]):
        with pytest.raises(TargetError):
            Target.parse(bad)


@pytest.mark.usefixtures("programme")
async def test_audience_combines_targets_and_counts_exclusions(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        everyone = await broadcasts.audience(session, Target.parse(["all"]))
        c1_poor = await broadcasts.audience(session, Target.parse(["area:C1", "status:poor"]))
        c1_english = await broadcasts.audience(session, Target.parse(["area:C1", "lang:en"]))
        province = await broadcasts.audience(session, Target.parse(["area:P1"]))
        with pytest.raises(TargetError):
            await broadcasts.audience(session, Target.parse(["area:NOPE"]))
    assert sorted(c.address for c in everyone.recipients) == ["100", "101", "200", "300", "301"]
    assert (everyone.not_joined, everyone.blocked) == (1, 1)
    assert sorted(c.address for c in c1_poor.recipients) == ["100", "101"]
    assert (c1_poor.not_joined, c1_poor.blocked) == (1, 1)
    assert [c.address for c in c1_english.recipients] == ["101"]
    assert len(province.recipients) == len(everyone.recipients)  # areas include those below


@pytest.mark.usefixtures("programme")
async def test_queued_once_even_when_queued_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with transaction(sessions) as session:
        item = await broadcasts.create(
            session, text="Họp dân tối thứ bảy", target=Target.parse(["all"]), now=NOW
        )
        again = await broadcasts.queue(session, item)  # a restart re-queues: nothing new
    assert again == 0
    async with sessions() as session:
        rows = (await session.scalars(select(Outbox).where(Outbox.broadcast_id == item.id))).all()
        assert sorted(row.address for row in rows) == ["100", "101", "200", "300", "301"]
        assert all(row.priority > 0 for row in rows)  # bulk: after replies
        stored = await session.get(Broadcast, item.id)
        assert stored is not None and stored.status == "sending"
        assert stored.counts == {"recipients": 5, "not_joined": 1, "blocked_before": 1}


@pytest.mark.usefixtures("programme")
async def test_scheduled_broadcast_waits_then_reports(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with transaction(sessions) as session:
        item = await broadcasts.create(
            session,
            text="Nhắc nộp hồ sơ",
            target=Target.parse(["area:C2"]),
            now=NOW,
            at=NOW + timedelta(hours=1),
        )
    async with transaction(sessions) as session:
        await broadcasts.pump(session, NOW + timedelta(minutes=59))
        assert await session.scalar(select(func.count(Outbox.id))) == 0
        await broadcasts.pump(session, NOW + timedelta(hours=1))
        assert await session.scalar(select(func.count(Outbox.id))) == 2
    async with transaction(sessions) as session:
        await session.execute(update(Outbox).values(status="sent"))
        await broadcasts.pump(session, NOW + timedelta(hours=2))
        done = await session.get(Broadcast, item.id)
        assert done is not None and done.status == "done"
        report = await broadcasts.progress(session, done)
        assert (report.by_status["sent"], report.total, report.left_out) == (2, 2, 0)
        assert await session.scalar(select(func.count(Household.id))) == 7
