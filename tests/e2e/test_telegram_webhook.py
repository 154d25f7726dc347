"""Telegram in webhook mode: updates come in with the secret header and are stored before
the 200; a forged call without the secret is refused and changes nothing."""

from __future__ import annotations

import socket
from pathlib import Path

from aiohttp import ClientSession
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Entry, Inbound
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess, write_config
from tests.e2e.test_telegram_diary import join, say
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

SECRET = "webhook-secret-123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_with_secret(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    port = free_port()
    async with TelegramStandin() as telegram:
        config = write_config(
            tmp_path / "c.toml",
            database_url=database_url,
            api_base=telegram.base_url,
            token=DEFAULT_TOKEN,
        )
        config.write_text(
            config.read_text().replace("[telegram]\n", '[telegram]\nmode = "webhook"\n')
            + f'\n[telegram.webhook]\nhost = "127.0.0.1"\nport = {port}\npath = "/tg"\n'
            f'secret = "{SECRET}"\npublic_url = "http://127.0.0.1:{port}"\n',
            encoding="utf-8",
        )
        async with BotProcess(config) as bot:
            await join(telegram, 9001, programme.households[0].invite)
            await say(telegram, 9001, "bán heo 3 triệu", "Đã ghi")
            async with sessions() as session:
                stored = await session.scalar(select(func.count(Inbound.id)))
            forged = {
                "update_id": 999_999,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": 9001, "type": "private"},
                    "from": {"id": 9001, "is_bot": False, "first_name": "X"},
                    "text": "bán heo 90 triệu",
                },
            }
            async with ClientSession() as client:
                for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                    async with client.post(
                        f"http://127.0.0.1:{port}/tg", json=forged, headers=headers
                    ) as answer:
                        assert answer.status == 401
            async with sessions() as session:
                assert await session.scalar(select(func.count(Inbound.id))) == stored
                assert await session.scalar(select(func.count(Entry.id))) == 1
            assert await bot.stop() == 0
