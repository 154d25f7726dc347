"""A commune with two officers' areas, chats on an in-memory channel, and the web page
on aiohttp's test server, all on the test database and one settable clock."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from aiohttp import ClientResponse, DummyCookieJar
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.services.people.registry import add_area, add_household, add_officer
from bot.web.app import COOKIE, web_app
from models import Alert, Case, Household
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_programme,
)

LINK = re.compile(r"/login/([A-Za-z0-9_-]+)")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Browser:
    """One browser: its own session cookie, sent by hand (no cookie jar guesses)."""

    client: TestClient[object, object]
    cookie: str = ""

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}

    async def open_link(self, token: str) -> ClientResponse:
        """Open the link, then press its button (the press spends it)."""
        shown = await self.client.get(f"/login/{token}", allow_redirects=False)
        if shown.status != 200:
            return shown
        response = await self.client.post(f"/login/{token}", allow_redirects=False)
        found = response.cookies.get(COOKIE)
        if found is not None:
            self.cookie = found.value
        return response

    async def get(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path, headers=self._headers(), allow_redirects=False)
        return response.status, await response.text()

    async def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        response = await self.client.post(
            path, data=data, headers=self._headers(), allow_redirects=False
        )
        return response.status, await response.text()

    async def csrf(self) -> str:
        _status, html = await self.get("/")
        found = CSRF.search(html)
        assert found is not None, html[:500]
        return found.group(1)


@dataclass
class Commune:
    """Officer A (commune C1) with households H1, H2; officer B (C2) with H3; an admin."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    channel: MemoryChannel
    officer_a: Dialog
    officer_b: Dialog
    household_1: Dialog
    client: TestClient[object, object]
    codes: list[str]

    async def link(self, dialog: Dialog) -> str:
        replies = await dialog.say("/web")
        found = LINK.search("\n".join(reply.text for reply in replies))
        assert found is not None, [reply.text for reply in replies]
        return found.group(1)

    async def signed_in(self, dialog: Dialog) -> Browser:
        browser = Browser(self.client)
        response = await browser.open_link(await self.link(dialog))
        assert response.status == 302
        return browser

    async def delivered(self, address: str) -> list[str]:
        """What the bot's sender has sent to ``address`` so far (it sends what is due)."""
        sender = self.officer_a.app.senders[self.channel.name]
        while await sender.send_due():
            pass
        return [reply.text for to, reply in self.channel.sent if to == address]

    async def household_id(self, code: str) -> int:
        async with self.sessions() as session:
            found = await session.scalar(select(Household.id).where(Household.code == code))
        assert found is not None
        return found

    async def alert_and_case(self, code: str) -> tuple[int, int]:
        household_id = await self.household_id(code)
        async with transaction(self.sessions) as session:
            alert = Alert(
                rule="urgent",
                cause_key=f"urgent:{household_id}:test",
                household_id=household_id,
                severity="high",
                details={"text": "cứu với"},
                raised_at=self.clock.now,
            )
            case = Case(
                household_id=household_id,
                topic="help",
                text="Nhà tôi cần giúp",
                opened_at=self.clock.now,
            )
            session.add_all([alert, case])
            await session.flush()
            return alert.id, case.id


def web_settings(database_url: str, public_url: str = "http://127.0.0.1:8090") -> Settings:
    return Settings(database={"url": database_url}, web={"enabled": True, "public_url": public_url})


@pytest.fixture
def public_url() -> str:
    return "http://127.0.0.1:8090"


@pytest.fixture
async def commune(
    database_url: str, sessions: async_sessionmaker[AsyncSession], public_url: str
) -> AsyncIterator[Commune]:
    settings = web_settings(database_url, public_url)
    programme = await seed_programme(sessions, households=2)
    now = datetime.now(UTC)
    async with transaction(sessions) as session:
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
        other = await add_officer(
            session, name="Cán bộ B", area="C2", role="officer", now=now, ttl_days=30
        )
        third = await add_household(
            session, name="Hộ 3", members=3, area="C2", now=now, ttl_days=30
        )
    channel = MemoryChannel()
    clock = FixedClock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    app = make_app(settings, sessions, channel, clock)
    officer_a = Dialog(app, channel, "900")
    officer_b = Dialog(app, channel, "950")
    household_1 = Dialog(app, channel, "101")
    await joined_household(officer_a, programme.officer.invite)
    await joined_household(officer_b, other.invite)
    await joined_household(household_1, programme.households[0].invite)
    client: TestClient[object, object] = TestClient(
        TestServer(web_app(settings=settings, sessions=sessions, clock=clock)),
        cookie_jar=DummyCookieJar(),
    )
    await client.start_server()
    try:
        yield Commune(
            settings,
            sessions,
            clock,
            channel,
            officer_a,
            officer_b,
            household_1,
            client,
            [*(h.code for h in programme.households), third.code],
        )
    finally:
        await client.close()
