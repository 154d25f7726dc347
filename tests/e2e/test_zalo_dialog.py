"""Issue 9, end to end: the real `sinhke run` on the Zalo Bot API stand-in, which hands out
every update twice — by long polling, and by webhook."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry, Inbound, Outbox
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess, write_zalo_config
from tests.standins._base import SentRecord
from tests.standins.zalo import DEFAULT_TOKEN, ZaloStandin

pytestmark = pytest.mark.e2e

CHAT = "2d758cb5e222177a4e35"
SECRET = "webhook-secret-9"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def to_chat(needle: str) -> Callable[[SentRecord], bool]:
    return lambda r: r.chat_id == CHAT and needle in (r.text or r.caption or "")


async def say(zalo: ZaloStandin, text: str, expect: str, timeout: float = 30) -> SentRecord:
    since = len(zalo.sent)
    zalo.push_text(CHAT, text)
    return await zalo.wait_for(to_chat(expect), timeout=timeout, since=since)


async def join(zalo: ZaloStandin, invite: str) -> None:
    """The invite code typed, and consent given by typing the option's number."""
    consent = await say(zalo, invite, "đồng ý")
    assert "1. Đồng ý  2. Không" in (consent.text or "")
    await say(zalo, "1", "bán heo 3 triệu")


@pytest.fixture
async def zalo() -> AsyncIterator[ZaloStandin]:
    async with ZaloStandin() as standin:
        yield standin


@pytest.fixture
async def started() -> AsyncIterator[list[BotProcess]]:
    """Bot processes a test started, killed if the test left them running."""
    processes: list[BotProcess] = []
    yield processes
    for process in processes:
        if process.process is not None and process.process.returncode is None:
            await process.kill()


async def start_bot(
    started: list[BotProcess],
    tmp_path: Path,
    database_url: str,
    zalo: ZaloStandin,
    settings: str = "",
    extra: str = "",
) -> BotProcess:
    config = write_zalo_config(
        tmp_path / "config.toml",
        database_url=database_url,
        api_base=zalo.base_url,
        token=DEFAULT_TOKEN,
        zalo=settings,
        extra=extra,
    )
    process = BotProcess(config)
    started.append(process)
    await process.start()
    return process


async def entries(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, int, bool]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Entry.kind, Entry.amount, Entry.deleted_at.is_not(None)).order_by(Entry.id)
        )
        return [(kind, amount, deleted) for kind, amount, deleted in rows]


async def inbound_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(
            await session.scalar(select(func.count(Inbound.id)).where(Inbound.channel == "zalo"))
            or 0
        )


async def all_delivered(zalo: ZaloStandin) -> None:
    """Wait for the repeats of the last update to be handed out too."""
    async with asyncio.timeout(10):
        while zalo.pending_updates:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # anything a repeat set off would show by now


async def settled_row(sessions: async_sessionmaker[AsyncSession], message_id: str) -> Outbox:
    """The outbox row of a message Zalo took, once the bot has marked it sent."""
    async with asyncio.timeout(10):
        while True:
            async with sessions() as session:
                row = await session.scalar(select(Outbox).where(Outbox.external_id == message_id))
            if row is not None:
                return row
            await asyncio.sleep(0.05)


async def test_household_keeps_its_diary_on_zalo_by_long_polling(
    tmp_path: Path,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    zalo: ZaloStandin,
    started: list[BotProcess],
) -> None:
    programme = await seed_programme(sessions)
    bot = await start_bot(started, tmp_path, database_url, zalo)
    await join(zalo, programme.households[0].invite)

    recorded = await say(zalo, "bán heo 3 triệu", "Đã ghi")
    assert "3.000.000" in (recorded.text or "")

    # An ask-back answered with the number of an option.
    question = await say(zalo, "200k", "thu hay chi")
    assert "1. Thu  2. Chi" in (question.text or "")
    recorded = await say(zalo, "số 2", "Đã ghi")
    assert "Chi 200.000" in (recorded.text or "")

    await say(zalo, "xóa cái vừa ghi", "Đã xóa")
    today = await say(zalo, "/homnay", "Hôm nay")
    assert "3.000.000" in (today.text or "")

    # Every update came twice; each was read once and answered once.
    await all_delivered(zalo)
    assert await entries(sessions) == [("income", 3_000_000, False), ("expense", 200_000, True)]
    assert await inbound_count(sessions) == 7
    assert zalo.deliveries == 14
    texts = [r.text or "" for r in zalo.messages_to(CHAT)]
    assert len(texts) == 7, texts
    assert sum("Đã ghi" in text for text in texts) == 2
    assert await bot.stop() == 0, bot.output()


async def test_household_keeps_its_diary_on_zalo_by_webhook(
    tmp_path: Path,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    zalo: ZaloStandin,
    started: list[BotProcess],
) -> None:
    programme = await seed_programme(sessions)
    port = free_port()
    url = f"http://127.0.0.1:{port}/zalo"
    bot = await start_bot(
        started,
        tmp_path,
        database_url,
        zalo,
        settings='mode = "webhook"',
        extra=(
            f'\n[zalo.webhook]\nport = {port}\npath = "/zalo"\nsecret = "{SECRET}"\n'
            f'public_url = "http://127.0.0.1:{port}"\n'
        ),
    )
    await join(zalo, programme.households[0].invite)
    recorded = await say(zalo, "bán heo 3 triệu", "Đã ghi")
    assert "3.000.000" in (recorded.text or "")

    # A forged update without the secret is refused, and nothing of it is kept.
    forged = {
        "ok": True,
        "result": {
            "event_name": "message.text.received",
            "message": {
                "from": {"id": CHAT, "display_name": "Kẻ giả", "is_bot": False},
                "chat": {"id": CHAT, "chat_type": "PRIVATE"},
                "text": "bán trâu 90 triệu",
                "message_id": "forged-1",
                "date": 1_766_619_597_466,
            },
        },
    }
    async with ClientSession() as http:
        for headers in ({}, {"X-Bot-Api-Secret-Token": "not-the-secret"}):
            async with http.post(url, json=forged, headers=headers) as response:
                assert response.status == 401
    await say(zalo, "/homnay", "Hôm nay")

    await all_delivered(zalo)
    assert await entries(sessions) == [("income", 3_000_000, False)]
    assert await inbound_count(sessions) == 4  # code, "1", the entry, /homnay
    assert zalo.deliveries == 8 and zalo.webhook_errors == []
    assert await bot.stop() == 0, bot.output()


async def test_a_send_error_that_comes_as_http_200_is_retried(
    tmp_path: Path,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    started: list[BotProcess],
) -> None:
    async with ZaloStandin(errors_as_http_200=True) as zalo:
        programme = await seed_programme(sessions)
        bot = await start_bot(started, tmp_path, database_url, zalo)
        await join(zalo, programme.households[0].invite)

        zalo.fail_next("sendMessage", 500, description="Internal error")
        recorded = await say(zalo, "bán heo 3 triệu", "Đã ghi")
        assert "3.000.000" in (recorded.text or "")
        [failure] = zalo.failed
        assert failure.method == "sendMessage" and failure.status == 500

        row = await settled_row(sessions, str(recorded.message_id))
        assert (row.status, row.attempts) == ("sent", 2)
        assert row.error is not None and "Internal error" in row.error
        assert await bot.stop() == 0, bot.output()
