"""Issue 20, revoking access: an officer removed, a lost phone unlinked (the CLI, and an
admin from chat), each audited; the chat loses access at once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.services.people.registry import add_officer
from models import Audit, Contact, Entry, Household, Officer
from tests.cli.test_cli import sinhke
from tests.dialog import Dialog, MemoryChannel, joined_household, make_app, seed_programme


@pytest.fixture
def config(tmp_path: Path, database_url: str, sessions: object) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return path


async def _officer_and_household(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> tuple[Dialog, Dialog, str, str]:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    app = make_app(settings, sessions, channel)
    officer = Dialog(app, channel, "1")
    await officer.say(f"/start {programme.officer.invite}")
    await officer.press("consent:yes")
    home = Dialog(app, channel, "300")
    await joined_household(home, programme.households[0].invite)
    await home.say("bán heo 3 triệu")
    return officer, home, programme.officer.code, programme.households[0].code


async def test_officer_remove_takes_away_the_chat_and_is_audited(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], config: Path
) -> None:
    officer, _, officer_code, household_code = await _officer_and_household(settings, sessions)
    assert "Hộ" in await officer.text(f"/ho {household_code}")
    done = sinhke("officer", "remove", officer_code, config=config)
    assert done.returncode == 0, done.stderr
    assert officer_code in done.stdout and "1 chat" in done.stdout
    assert "chỉ dành cho cán bộ" in await officer.text(f"/ho {household_code}")
    async with sessions() as session:
        removed = await session.scalar(select(Officer).where(Officer.code == officer_code))
        assert removed is not None and removed.role == "removed"
        assert (
            await session.scalar(
                select(func.count(Contact.id)).where(Contact.officer_id == removed.id)
            )
            == 0
        )
        assert (
            await session.scalar(
                select(func.count(Household.id)).where(Household.officer_id == removed.id)
            )
            == 0
        )
        assert "officer.remove" in set(await session.scalars(select(Audit.action)))
    again = sinhke("officer", "remove", officer_code, config=config)
    assert again.returncode == 2 and "already removed" in again.stderr
    unknown = sinhke("officer", "remove", "NOPE", config=config)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


async def test_contact_unlink_a_lost_phone_keeps_the_diary(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], config: Path
) -> None:
    _, home, _, _ = await _officer_and_household(settings, sessions)
    done = sinhke("contact", "unlink", "telegram", "300", config=config)
    assert done.returncode == 0, done.stderr
    assert "Để dùng sổ nhật ký" in await home.text("/thang")  # a stranger again
    async with sessions() as session:
        assert await session.scalar(select(func.count(Entry.id))) == 1
        assert (
            await session.scalar(select(func.count(Contact.id)).where(Contact.address == "300"))
            == 0
        )
        assert "contact.unlink" in set(await session.scalars(select(Audit.action)))
    missing = sinhke("contact", "unlink", "telegram", "300", config=config)
    assert missing.returncode == 2 and "no telegram chat 300" in missing.stderr


async def test_an_admin_revokes_from_chat_within_their_area_only(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    officer, home, officer_code, household_code = await _officer_and_household(settings, sessions)
    async with transaction(sessions) as session:
        admin_invite = (
            await add_officer(
                session,
                name="Quản trị",
                area="P1",
                role="admin",
                now=home.app.clock(),
                ttl_days=30,
            )
        ).invite
    admin = Dialog(home.app, home.channel, "9")
    await admin.say(f"/start {admin_invite}")
    await admin.press("consent:yes")
    assert "chỉ dành cho quản trị" in await officer.text(f"/thuhoi {household_code}")
    said = await admin.text(f"/thuhoi {household_code}")
    assert household_code in said and "1" in said
    assert "Để dùng sổ nhật ký" in await home.text("/thang")
    said = await admin.text(f"/thuhoi {officer_code}")
    assert officer_code in said
    assert "chỉ dành cho cán bộ" in await officer.text(f"/ho {household_code}")
    assert "Không tìm thấy" in await admin.text("/thuhoi KHONGCO")
    async with sessions() as session:
        actions = list(await session.scalars(select(Audit.action).order_by(Audit.id)))
    assert "contact.unlink" in actions and "officer.remove" in actions


async def test_ho_gives_one_refusal_whether_or_not_the_code_exists_elsewhere(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from bot.services.people.registry import add_area, add_household

    officer, home, _, _ = await _officer_and_household(settings, sessions)
    async with transaction(sessions) as session:
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
        elsewhere = await add_household(
            session, name="Hộ xã khác", members=2, area="C2", now=home.app.clock(), ttl_days=30
        )
    other_area = await officer.text(f"/ho {elsewhere.code}")
    nowhere = await officer.text("/ho HO99999")
    assert other_area.replace(elsewhere.code, "X") == nowhere.replace("HO99999", "X")
    assert "Xã Hai" not in other_area and "Hộ xã khác" not in other_area


# Low: invite codes are kept as an HMAC with the deployment's secret -----------------------


async def test_invite_codes_are_stored_with_the_secret_and_old_ones_still_work(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    import hashlib

    from bot.services.people.registry import add_household, hash_invite, normalise_invite
    from models import Invite

    settings = Settings(database={"url": database_url}, invites={"secret": "per-deployment-pepper"})
    programme = await seed_programme(sessions)  # issued before the secret was set
    now = datetime.now(UTC)
    async with transaction(sessions) as session:
        fresh = await add_household(
            session,
            name="Hộ mới",
            members=2,
            area="C1",
            now=now,
            ttl_days=30,
            secret="per-deployment-pepper",
        )
        stored = set(await session.scalars(select(Invite.code_hash)))
    plain = hashlib.sha256(normalise_invite(fresh.invite).encode()).hexdigest()
    assert plain not in stored
    assert hash_invite(fresh.invite, "per-deployment-pepper") in stored
    channel = MemoryChannel()
    app = make_app(settings, sessions, channel)
    for address, invite in (("501", fresh.invite), ("502", programme.households[0].invite)):
        dialog = Dialog(app, channel, address)
        await joined_household(dialog, invite)
        assert "Để dùng sổ nhật ký" not in await dialog.text("/thang")  # joined


# Low: a chat that only typed a code keeps no name, and its id not for long --------------


async def test_a_chat_that_only_typed_a_code_is_not_kept(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from bot.core.contract import Incoming
    from tests.dialog import FixedClock

    programme = await seed_programme(sessions, households=2)
    channel = MemoryChannel()
    clock = FixedClock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    app = make_app(settings, sessions, channel, clock)
    stranger = Dialog(app, channel, "600")
    asked = await stranger._deliver(
        Incoming(
            "telegram",
            "600",
            text=f"/start {programme.households[0].invite}",
            display_name="Thị Bí Mật",
        )
    )
    assert "đồng ý" in asked[0].text
    async with sessions() as session:
        names = list(await session.scalars(select(Contact.display_name)))
    assert "Thị Bí Mật" not in names  # no name before consent
    clock.advance(days=2)
    later = Dialog(app, channel, "700")
    await joined_household(later, programme.households[1].invite)
    async with sessions() as session:
        addresses = set(await session.scalars(select(Contact.address)))
    assert "600" not in addresses and "700" in addresses
