"""Issue 20 (low): eighty urgent messages from one household were eighty pushes to the
officer.  Within `[alerts] urgent_fold_minutes` of an open urgent alert they join it: the
household is answered each time, the officer is pushed once and sees how many came."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from models import Alert, Case
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_programme,
)


async def test_urgent_messages_fold_into_one_alert_then_a_new_one_later(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    clock = FixedClock(make_app(settings, sessions, channel).clock())
    app = make_app(settings, sessions, channel, clock)
    home, officer = Dialog(app, channel, "301"), Dialog(app, channel, "901")
    await joined_household(officer, programme.officer.invite)
    await joined_household(home, programme.households[0].invite)

    since = len(channel.sent)
    for n in range(25):  # (more than 30 in 10 s is a flood: see test_20_security)
        clock.advance(seconds=20)
        answer = "\n".join(r.text for r in await home.say(f"cứu tôi với {n}"))
        assert "113" in answer  # the person is answered every time
    pushed = [r for address, r in channel.sent[since:] if address == officer.address]
    assert len(pushed) == 1
    async with sessions() as session:
        [alert] = (await session.scalars(select(Alert))).all()
        assert alert.details["more"] == 24 and alert.details["latest"] == "cứu tôi với 24"
        assert len((await session.scalars(select(Case))).all()) == 1
    shown = "\n".join(r.text for r in await officer.say("/canhbao"))
    assert "Thêm 24 tin nhắn khẩn" in shown and "cứu tôi với 24" in shown

    clock.advance(hours=2)  # past the window: a new message is a new alert, pushed again
    since = len(channel.sent)
    await home.say("cứu tôi với")
    assert [r for address, r in channel.sent[since:] if address == officer.address]
    async with sessions() as session:
        assert len((await session.scalars(select(Alert))).all()) == 2
