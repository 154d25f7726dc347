"""Joining with an invite code and consent (issue 4, item 2)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from models import Contact, Inbound
from tests.dialog import Dialog, MemoryChannel, make_app, seed_programme


async def test_join_with_consent(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "100")
    [ask] = await dialog.say(f"/start {programme.households[0].invite}")
    assert "Hộ 1" in ask.text and "đồng ý" in ask.text
    assert [b.payload for b in ask.flat_buttons()] == ["consent:yes", "consent:no"]
    [thanks] = await dialog.press("consent:yes")
    assert "bán heo 3 triệu" in thanks.text
    async with sessions() as session:
        contact = await session.scalar(select(Contact))
        assert contact is not None and contact.consent_at is not None
        assert contact.consent_version == settings.programme.consent_version
    # The code is one-time: a second chat cannot use it.
    other = Dialog(dialog.app, channel, "200")
    assert "không đúng" in (await other.text(programme.households[0].invite))


async def test_refusing_keeps_nothing(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "100")
    await dialog.say(programme.households[0].invite.lower().replace("-", " "))
    [answer] = await dialog.press("consent:no")
    assert "không lưu" in answer.text
    async with sessions() as session:
        assert await session.scalar(select(func.count(Contact.id))) == 0
        texts = [row.payload for row in await session.scalars(select(Inbound))]
        assert all(payload.get("redacted") for payload in texts)
    # Without consent a diary message is not recorded: the bot says how to join.
    assert "mã mời" in await dialog.text("bán heo 3 triệu")


async def test_wrong_codes_lock_out(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "100")
    for _ in range(settings.invites.max_wrong_per_hour):
        assert "không đúng" in await dialog.text("/start AAAA-BBBB")
    locked = await dialog.text(f"/start {programme.households[0].invite}")
    assert "đợi" in locked
