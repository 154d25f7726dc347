"""Zalo's monthly quota: sends counted per month in Vietnam's time, and the admins warned
once a month when 80% of it is used."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import QuotaWatch
from bot.channels.zalo import ZaloChannel
from bot.config import DatabaseConfig, Settings, ZaloConfig
from bot.core.contract import Reply
from bot.core.outbox import OutboxBatch
from bot.core.sender import Sender
from bot.db import transaction
from bot.services.messaging.quota import month_bounds, sent_this_month
from bot.services.people.registry import add_area, add_officer
from models import Contact, Outbox, utcnow
from tests.standins.zalo import DEFAULT_TOKEN, ZaloStandin

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
HOUSEHOLD_CHAT = "a1b2c3d4e5f6a7b8c9d0"


def test_the_month_begins_at_midnight_in_vietnam() -> None:
    start, following = month_bounds(datetime(2026, 10, 31, 17, 30, tzinfo=UTC), VIETNAM)
    assert start == datetime(2026, 11, 1, tzinfo=VIETNAM)
    assert following == datetime(2026, 12, 1, tzinfo=VIETNAM)
    december = month_bounds(datetime(2026, 12, 15, tzinfo=UTC), VIETNAM)
    assert december[1] == datetime(2027, 1, 1, tzinfo=VIETNAM)


async def test_only_this_months_sent_zalo_messages_count(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    rows = [
        ("zalo", "sent", datetime(2026, 10, 31, 16, 59, tzinfo=UTC)),  # 31/10 23:59 in Vietnam
        ("zalo", "sent", datetime(2026, 10, 31, 17, 0, tzinfo=UTC)),  # 1/11 00:00
        ("zalo", "sent", datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),
        ("zalo", "sent", datetime(2026, 11, 30, 17, 0, tzinfo=UTC)),  # 1/12 00:00
        ("zalo", "failed", datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),
        ("telegram", "sent", datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),
    ]
    async with transaction(sessions) as session:
        for n, (channel, status, sent_at) in enumerate(rows):
            session.add(
                Outbox(
                    key=f"k{n}",
                    channel=channel,
                    address="x",
                    body={"text": "x"},
                    status=status,
                    sent_at=sent_at,
                )
            )
    async with sessions() as session:
        now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
        assert await sent_this_month(session, "zalo", now, VIETNAM) == 2


@pytest.fixture
async def standin() -> AsyncIterator[ZaloStandin]:
    async with ZaloStandin(monthly_quota=None) as server:
        yield server


async def add_admins(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Two admins on three consenting contacts, plus contacts that must not be warned."""
    now = utcnow()
    async with transaction(sessions) as session:
        await add_area(session, code="P1", name="Tỉnh Thử", kind="province")
        people = {
            name: await add_officer(session, name=name, area="P1", role=role, now=now, ttl_days=30)
            for name, role in (("admin-a", "admin"), ("admin-b", "admin"), ("cb", "officer"))
        }
        contacts = {
            "a-telegram": Contact(channel="telegram", address="9001", locale="en"),
            "a-zalo": Contact(channel="zalo", address="admin-a-zalo"),
            "b-telegram": Contact(channel="telegram", address="9002"),
            "b-no-consent": Contact(channel="zalo", address="admin-b-zalo"),
            "officer": Contact(channel="telegram", address="9003"),
        }
        for key, contact in contacts.items():
            owner = {"a": "admin-a", "b": "admin-b", "o": "cb"}[key[0]]
            contact.officer_id = people[owner].id
            if key != "b-no-consent":
                contact.consent_at = now
                contact.consent_version = "2026-11"
            session.add(contact)
        await session.flush()
        return {key: contact.id for key, contact in contacts.items()}


async def send_all(sender: Sender) -> None:
    while await sender.send_due():
        pass


async def test_admins_are_warned_once_when_80_percent_of_the_quota_is_used(
    database_url: str, standin: ZaloStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    contacts = await add_admins(sessions)
    settings = Settings(
        database=DatabaseConfig(url=database_url),
        zalo=ZaloConfig(
            token=SecretStr(DEFAULT_TOKEN), api_base=standin.base_url, monthly_quota=10
        ),
    )
    zalo = ZaloChannel(settings)
    watch = QuotaWatch(
        sessions=sessions,
        channel=zalo.name,
        quota=zalo.monthly_quota,
        zone=VIETNAM,
        clock=utcnow,
        every=0,  # every send looks, for the test
    )
    sender = Sender(
        channel=zalo,
        sessions=sessions,
        clock=utcnow,
        rate_global=1000,
        rate_per_chat=1000,
        after_sent=watch,
    )

    async def queue(first: int, last: int) -> None:
        outbox = OutboxBatch()
        for n in range(first, last + 1):
            outbox.add(
                channel="zalo",
                address=HOUSEHOLD_CHAT,
                contact=None,
                reply=Reply(f"Đã ghi khoản {n}"),
                key=f"reply:{n}:0",
            )
        async with transaction(sessions) as session:
            await outbox.write(session)

    async def warnings() -> list[Outbox]:
        async with sessions() as session:
            rows = await session.scalars(
                select(Outbox).where(Outbox.key.like("zalo-quota:%")).order_by(Outbox.key)
            )
            return list(rows)

    try:
        await queue(1, 8)  # a check after each send sees the sends before it: 7 of 10
        await send_all(sender)
        assert await warnings() == []
        await queue(9, 12)
        await send_all(sender)
        await send_all(sender)  # the warning to the admin on Zalo
    finally:
        await zalo.close()

    month = datetime.now(VIETNAM).strftime("%Y-%m")
    rows = await warnings()
    expected = sorted(
        f"zalo-quota:{month}:{contacts[key]}#0" for key in ("a-telegram", "a-zalo", "b-telegram")
    )
    assert [row.key for row in rows] == expected
    by_contact = {row.contact_id: row for row in rows}
    assert "has sent 8/10 Zalo messages" in by_contact[contacts["a-telegram"]].body["text"]
    assert "gửi 8/10 tin nhắn Zalo" in by_contact[contacts["b-telegram"]].body["text"]
    to_admin = standin.messages_to("admin-a-zalo")
    assert len(to_admin) == 1 and "8/10" in (to_admin[0].text or "")
