"""The app's worker lanes: stored updates are queued once, and swept up again later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.contract import Incoming, Update
from bot.core.inbound import record_batch
from models import Inbound
from tests.dialog import FixedClock, MemoryChannel, make_app


async def test_pending_updates_are_swept_up_once(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = FixedClock(datetime.now(UTC))
    app = make_app(settings, sessions, MemoryChannel(), clock)
    new = await record_batch(
        sessions,
        [Update(str(n), Incoming("telegram", str(n % 2), text="xin chào")) for n in range(3)],
    )
    ids = [inbound_id for inbound_id, _ in new]
    async with sessions() as session, session.begin():
        await session.execute(
            update(Inbound)
            .where(Inbound.id == ids[0])
            .values(received_at=clock.now - timedelta(minutes=5))
        )
    # Only the update waiting longer than the sweep's threshold is queued again …
    assert await app.replay_pending(older_than=timedelta(seconds=30)) == 1
    assert app.queued.keys() == {ids[0]}
    # … and queueing it again while it waits adds nothing to its lane.
    await app.replay_pending(older_than=timedelta(seconds=30))
    assert sum(lane.qsize() for lane in app.lanes) == 1
    assert await app.replay_pending() == 3
    assert sum(lane.qsize() for lane in app.lanes) == 3
