"""Issue 9: one household on Telegram and Zalo at once keeps one diary (the diary belongs to
the household; a contact is one chat account on one channel)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from bot.config import Settings
from bot.core.capabilities import ZALO
from bot.db import transaction
from bot.services.people.registry import issue_invite
from models import Contact
from tests.dialog import Dialog, FixedClock, MemoryChannel, seed_programme

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


async def test_entries_written_on_either_channel_show_on_both(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    household = programme.households[0]
    async with transaction(sessions) as session:
        second_invite = await issue_invite(session, household.id, NOW, ttl_days=30)
    telegram = MemoryChannel(name="telegram")
    zalo = MemoryChannel(name="zalo", capabilities=ZALO)
    app = App(
        settings=settings, sessions=sessions, channels=[telegram, zalo], clock=FixedClock(NOW)
    )
    on_telegram = Dialog(app, telegram, "5001")
    on_zalo = Dialog(app, zalo, "2d758cb5e222177a4e35")

    await on_telegram.say(f"/start {household.invite}")
    assert "Cảm ơn" in "".join(r.text for r in await on_telegram.press("consent:yes"))
    consent = await on_zalo.text(second_invite)  # typed, as Zalo has no deep links
    assert "1. Đồng ý  2. Không" in consent
    assert "Cảm ơn" in await on_zalo.text("1")

    assert "Đã ghi" in await on_telegram.text("bán heo 3 triệu")
    assert "Đã ghi" in await on_zalo.text("mua phân 500k")

    for dialog in (on_telegram, on_zalo):
        month = await dialog.text("/thang")
        assert "3.000.000" in month and "500.000" in month, month

    async with sessions() as session:
        contacts = (await session.execute(select(Contact.channel, Contact.household_id))).all()
    assert sorted(contacts) == [("telegram", household.id), ("zalo", household.id)]
