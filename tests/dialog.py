"""Replaying a conversation against the real message path with an in-memory channel."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from bot.config import Settings
from bot.core.contract import Capabilities, Incoming, Reply, SendResult, Update
from bot.core.inbound import record_batch
from bot.db import transaction
from bot.services.people.registry import Created, add_area, add_household, add_officer
from tests.replies import COLLECTOR

TELEGRAM_LIKE = Capabilities(text_limit=4096, buttons=True, edits=True, files=True)
_update_ids = itertools.count(1)


@dataclass
class MemoryChannel:
    """A channel that keeps what the bot sends, per address."""

    name: str = "telegram"
    capabilities: Capabilities = TELEGRAM_LIKE
    rate_global: float = 1000.0
    rate_per_chat: float = 1000.0
    monthly_quota: int = 0
    sent: list[tuple[str, Reply]] = field(default_factory=list)

    async def send(self, address: str, reply: Reply, *, edit_ref: str | None) -> SendResult:
        self.sent.append((address, reply))
        COLLECTOR.hear(self.name, address, reply, buttons=self.capabilities.buttons)
        return SendResult(ok=True, external_id=str(len(self.sent)))


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Dialog:
    """One chat account talking to the bot; ``say`` and ``press`` return the replies."""

    app: App
    channel: MemoryChannel
    address: str

    async def _deliver(self, incoming: Incoming) -> list[Reply]:
        before = len(self.channel.sent)
        update = Update(f"u{next(_update_ids)}", incoming)
        for inbound_id, _ in await record_batch(self.app.sessions, [update]):
            await self.app.process_with_retry(inbound_id)
        sender = self.app.senders[self.channel.name]
        while await sender.send_due():
            pass
        return [reply for address, reply in self.channel.sent[before:] if address == self.address]

    async def say(self, text: str) -> list[Reply]:
        return await self._deliver(Incoming(self.channel.name, self.address, text=text))

    async def press(self, payload: str) -> list[Reply]:
        return await self._deliver(
            Incoming(self.channel.name, self.address, kind="button", payload=payload)
        )

    async def text(self, text: str) -> str:
        """Say ``text`` and return the replies' texts joined."""
        return "\n".join(reply.text for reply in await self.say(text))


def make_app(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel: MemoryChannel,
    clock: FixedClock | None = None,
) -> App:
    return App(
        settings=settings,
        sessions=sessions,
        channels=[channel],
        clock=clock or FixedClock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),
    )


@dataclass
class Programme:
    """A commune with an officer and households, created through the registry."""

    officer: Created
    households: list[Created]


async def seed_programme(
    sessions: async_sessionmaker[AsyncSession], *, households: int = 1, members: int = 4
) -> Programme:
    now = datetime.now(UTC)
    async with transaction(sessions) as session:
        await add_area(session, code="P1", name="Tỉnh Thử", kind="province")
        await add_area(session, code="C1", name="Xã Thử", kind="commune", parent="P1")
        officer = await add_officer(
            session, name="Cán bộ A", area="C1", role="officer", now=now, ttl_days=30
        )
        created = [
            await add_household(
                session, name=f"Hộ {i}", members=members, area="C1", now=now, ttl_days=30
            )
            for i in range(1, households + 1)
        ]
    return Programme(officer, created)


async def joined_household(dialog: Dialog, invite: str) -> None:
    """Join with ``invite`` and consent."""
    await dialog.say(f"/start {invite}")
    await dialog.press("consent:yes")


async def joined_dialog(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Dialog:
    """One household of a fresh programme, joined and consenting, on a Telegram-like chat."""
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "300")
    await joined_household(dialog, programme.households[0].invite)
    return dialog


async def seed_joined_households(
    sessions: async_sessionmaker[AsyncSession],
    count: int,
    *,
    area: str = "C1",
    channel: str = "telegram",
    first_address: int = 900_000,
    status: str = "poor",
) -> list[int]:
    """Households already joined on ``channel`` (chat addresses from ``first_address``),
    written straight to the database for tests that need many of them."""
    from models import Area, Contact, Household

    now = datetime.now(UTC)
    async with transaction(sessions) as session:
        area_id = await session.scalar(select(Area.id).where(Area.code == area))
        assert area_id is not None
        households = [
            Household(
                code=f"T{first_address + i}",
                head_name=f"Hộ thử {i}",
                members=4,
                area_id=area_id,
                status=status,
            )
            for i in range(count)
        ]
        session.add_all(households)
        await session.flush()
        session.add_all(
            Contact(
                channel=channel,
                address=str(first_address + i),
                household_id=h.id,
                locale="vi",
                consent_version="test",
                consent_at=now,
            )
            for i, h in enumerate(households)
        )
    return [first_address + i for i in range(count)]
