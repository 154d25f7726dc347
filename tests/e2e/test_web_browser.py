"""Issue 18 in a real browser: headless Chromium (Debian's, driven by Playwright) on the
web page of the real `sinhke run`, signed in with a link the bot sent on the Telegram
stand-in.  Screenshots of the pages go to the test's tmp dir and to artifacts/screenshots/."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from models import Alert, Household
from tests.dialog import seed_programme
from tests.e2e.botprocess import ROOT, BotProcess, write_config
from tests.e2e.test_telegram_diary import join, say, to_chat
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
OFFICER, HOUSEHOLD = 700, 701

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser tests need Debian's chromium at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run installs it)",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


class Shots:
    """Screenshots kept with the test and copied where people can look at them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async def take(self, page: Page, name: str) -> None:
        path = self.folder / f"{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        shutil.copy(path, ARTIFACTS / path.name)


async def test_an_officer_works_from_the_web_page(
    tmp_path: Path,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    telegram: TelegramStandin,
    chromium: Browser,
) -> None:
    port = free_port()
    config = write_config(
        tmp_path / "config.toml",
        database_url=database_url,
        api_base=telegram.base_url,
        token=DEFAULT_TOKEN,
        extra=f'\n[web]\nenabled = true\nport = {port}\npublic_url = "http://127.0.0.1:{port}"\n',
    )
    programme = await seed_programme(sessions, households=3)
    shots = Shots(tmp_path / "screenshots")
    async with BotProcess(config):
        telegram.push_text(OFFICER, f"/start {programme.officer.invite}")
        # A busy machine takes its time to start the bot.
        consent = await telegram.wait_for(to_chat(OFFICER, "đồng ý"), timeout=120)
        assert consent.message_id is not None
        telegram.push_callback(OFFICER, "consent:yes", message_id=int(consent.message_id))
        await telegram.wait_for(to_chat(OFFICER, "cán bộ"))
        await join(telegram, HOUSEHOLD, programme.households[0].invite)
        await say(telegram, HOUSEHOLD, "bán heo 3 triệu", "Đã ghi")
        await say(telegram, HOUSEHOLD, "Nhờ cán bộ giúp đỡ nhà tôi sửa mái", "chuyển lời")
        code = programme.households[0].code
        async with transaction(sessions) as session:
            household_id = await session.scalar(select(Household.id).where(Household.code == code))
            assert household_id is not None
            session.add(
                Alert(
                    rule="inactive",
                    cause_key=f"inactive:{household_id}:browser",
                    household_id=household_id,
                    details={"days": 9},
                    raised_at=datetime.now(UTC),
                )
            )

        link_message = await say(telegram, OFFICER, "/web", "/login/")
        found = re.search(r"http://\S+/login/\S+", link_message.text or "")
        assert found is not None
        page = await chromium.new_page(viewport={"width": 1100, "height": 800})

        await page.goto(found.group(0))
        await page.click("form.login button")
        await page.wait_for_url(f"http://127.0.0.1:{port}/")
        assert "Tổng quan" in await page.title()
        # Joined today: counted now, whichever month the income figures are of.
        assert await page.locator('a.card[href="/households?joined=yes"] b').inner_text() == "1"
        await shots.take(page, "01-overview")

        # A number of the overview opens the households behind it.
        await page.click('a.card[href="/households?writing=week"]')
        await page.wait_for_url("**/households?writing=week")
        rows = page.locator("table.households tbody tr")
        assert await rows.count() == 1
        await shots.take(page, "02-households-writing-this-week")

        await page.click(f'a[href="/households/{code}"] >> nth=0')
        await page.wait_for_url(f"**/households/{code}")
        assert "bán heo 3 triệu" in await page.content()
        await shots.take(page, "03-household")

        await page.click('form[action$="/ack"] button')
        await page.wait_for_url(f"**/households/{code}")
        assert await page.locator(".alert.acknowledged").count() == 1

        await page.fill("textarea[name=answer]", "Sáng mai tôi ghé nhà anh chị xem mái.")
        await page.click("form.answer-form button")
        await page.wait_for_url(f"**/households/{code}")
        await telegram.wait_for(to_chat(HOUSEHOLD, "Sáng mai tôi ghé nhà anh chị xem mái."))
        await shots.take(page, "04-household-answered")

        await page.goto(f"http://127.0.0.1:{port}/due")
        await shots.take(page, "05-due")

        await page.goto(f"http://127.0.0.1:{port}/notices")
        await page.fill("textarea[name=text]", "Tối thứ Sáu họp thôn ở nhà văn hoá.")
        await page.click("button.quiet")
        assert "Sẽ gửi tới 1 tài khoản chat" in await page.locator(".preview").inner_text()
        await shots.take(page, "06-notice-preview")
        await page.click(".preview button[name=send]")
        await page.wait_for_url("**/notices")
        await telegram.wait_for(to_chat(HOUSEHOLD, "Tối thứ Sáu họp thôn"), timeout=20)

        phone = await chromium.new_page(viewport={"width": 360, "height": 740})
        await phone.context.add_cookies(await page.context.cookies())
        await phone.goto(f"http://127.0.0.1:{port}/")
        await shots.take(phone, "07-overview-phone")

        await page.click("form.out button")
        await page.goto(f"http://127.0.0.1:{port}/")
        assert "Chưa đăng nhập" in await page.content()
