"""/thongbao: an officer's notice to the households of their own area."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.services.people.registry import add_area
from models import Broadcast, Outbox
from tests.dialog import Dialog, MemoryChannel, make_app, seed_joined_households, seed_programme


async def test_officer_composes_previews_and_sends_to_own_area(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=0)
    async with transaction(sessions) as session:
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
    await seed_joined_households(sessions, 3, first_address=100)
    await seed_joined_households(sessions, 2, first_address=200, status="near_poor")
    await seed_joined_households(sessions, 4, area="C2", first_address=300)
    channel = MemoryChannel()
    officer = Dialog(make_app(settings, sessions, channel), channel, "1")
    await officer.say(f"/start {programme.officer.invite}")
    await officer.press("consent:yes")

    assert "Nhắn nội dung" in await officer.text("/thongbao")
    [targets] = await officer.say("Thứ bảy họp dân lúc 19 giờ tại nhà văn hóa ấp 3.")
    assert [b.payload for b in targets.flat_buttons()] == [
        "bc:to:area",
        "bc:to:poor",
        "bc:to:near_poor",
    ]
    [preview] = await officer.press("bc:to:poor")
    assert "Sẽ gửi tới 3 tài khoản" in preview.text and "Thứ bảy họp dân" in preview.text
    [queued] = await officer.press("bc:send")
    assert "Đang gửi thông báo" in queued.text
    async with sessions() as session:
        broadcast = await session.scalar(select(Broadcast))
        assert broadcast is not None and broadcast.target == "area:C1,status:poor"
        rows = (
            await session.scalars(select(Outbox.address).where(Outbox.broadcast_id == broadcast.id))
        ).all()
    assert sorted(rows) == ["100", "101", "102"]  # never the other commune


async def test_households_cannot_send_notices(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    home = Dialog(make_app(settings, sessions, channel), channel, "5")
    await home.say(f"/start {programme.households[0].invite}")
    await home.press("consent:yes")
    assert "chỉ dành cho cán bộ" in await home.text("/thongbao")
