"""Issue 20 (day one, operate), end to end: the real `sinhke run` sets its own command menus
(households by default, officers in their chats; Vietnamese and English) and descriptions,
and serves /healthz and /metrics on its ops port while it handles messages."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import ClientSession
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from bot.i18n import translator
from models import Contact, Officer
from tests.cli.test_cli import sinhke
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess, write_config
from tests.e2e.test_telegram_diary import join, say
from tests.e2e.test_telegram_webhook import free_port
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

HOUSEHOLD_CHAT, OFFICER_CHAT = 7001, 7002


def names(commands: list[dict[str, str]]) -> list[str]:
    return [command["command"] for command in commands]


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.escape(name + (f"{{{wanted}}}" if wanted else "")) + r" (\S+)"
    found = re.search("^" + pattern + "$", metrics, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_menus_descriptions_health_and_metrics(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    async with transaction(sessions) as session:
        officer_id = await session.scalar(select(Officer.id))
        session.add(
            Contact(
                channel="telegram",
                address=str(OFFICER_CHAT),
                officer_id=officer_id,
                consent_at=datetime.now(UTC),
                consent_version="2026-11",
            )
        )
    await bot.start()
    url = await bot.ops_url()

    # The menus and descriptions are there before anyone writes.
    households_vi = telegram.commands[("default", "")]
    households_en = telegram.commands[("default", "en")]
    assert {"homnay", "thang", "xoa", "giupdo", "xoadulieu"} <= set(names(households_vi))
    assert names(households_en) == names(households_vi)
    assert households_en[0]["description"] == translator("en")._("Thu chi hôm nay")
    officers = telegram.commands[(f"chat:{OFFICER_CHAT}", "")]
    assert {"canhbao", "ho", "cacho", "baocao", "thongbao", "hop"} <= set(names(officers))
    assert (f"chat:{OFFICER_CHAT}", "en") in telegram.commands
    assert "canhbao" not in names(households_vi)
    assert telegram.descriptions[("description", "")].startswith("Sổ nhật ký")
    assert telegram.descriptions[("short_description", "en")]

    await join(telegram, HOUSEHOLD_CHAT, programme.households[0].invite)
    await say(telegram, HOUSEHOLD_CHAT, "bán heo 3 triệu", "Đã ghi")

    async with ClientSession() as client:
        async with client.get(f"{url}/healthz") as answer:
            assert answer.status == 200, await answer.text()
            health = await answer.json()
        async with client.get(f"{url}/metrics") as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"].startswith("text/plain")
            metrics = await answer.text()
    assert health["ok"] is True
    assert health["database"] == "reachable"
    assert health["migrations"].startswith("at head")
    assert health["receiver"] == "receiving"
    assert health["senders"] == "1 of 1 running"
    assert health["scheduler"] == "disabled here"  # the e2e config turns it off

    # /start, the consent button and the diary message: three updates, all handled.
    assert sample(metrics, "sinhke_updates_received_total", channel="telegram") == 3
    assert sample(metrics, "sinhke_updates_handled_total", channel="telegram", result="done") == 3
    assert sample(metrics, "sinhke_handling_seconds_count", channel="telegram") == 3
    assert sample(metrics, "sinhke_sends_total", channel="telegram", result="sent") >= 3
    assert re.search(r'^sinhke_outbox_failed\{channel="telegram"\} 0$', metrics, re.MULTILINE)
    assert re.search(r'^sinhke_outbox_pending\{channel="telegram"\} \d+$', metrics, re.MULTILINE)
    assert sample(metrics, "sinhke_database_outage") == 0
    assert sample(metrics, "sinhke_leader") == 1
    assert "# TYPE sinhke_handling_seconds histogram" in metrics
    # Nothing a household wrote is in the metrics nor in the log at info level.
    assert "heo" not in metrics
    assert await bot.stop() == 0
    assert "bán heo" not in bot.output()
    assert "3 triệu" not in bot.output()
    assert "Context impl" not in bot.output()  # /healthz is not logged


async def test_check_finds_the_running_webhook(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
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
            + f'\n[telegram.webhook]\nport = {port}\npath = "/tg"\nsecret = "ops-secret-1"\n'
            f'public_url = "http://127.0.0.1:{port}"\n',
            encoding="utf-8",
        )
        async with BotProcess(config) as bot:
            url = await bot.ops_url()
            async with ClientSession() as client:
                for _ in range(100):  # the webhook is served once this process leads
                    async with client.get(f"{url}/healthz") as answer:
                        health = await answer.json()
                    if answer.status == 200:
                        break
                    await asyncio.sleep(0.1)
                assert health["receiver"] == "receiving"
            result = await asyncio.to_thread(sinhke, "check", config=config)
            assert await bot.stop() == 0
    assert result.returncode == 0, result.stdout
    assert f"ok    webhook: http://127.0.0.1:{port}/tg answers" in result.stdout


async def test_an_update_that_cannot_be_read_is_not_written_to_the_log(
    bot: BotProcess, telegram: TelegramStandin
) -> None:
    await bot.start()
    await bot.ops_url()
    telegram.push_update(
        {
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 7003, "type": "private", "first_name": "Lê Thị Hoa"},
                "poll": {"id": "p", "question": "vay 0912345678 bán heo nái"},
            }
        }
    )
    await asyncio.sleep(3)
    assert await bot.stop() == 0
    for private in ("Lê Thị Hoa", "0912345678", "heo nái"):
        assert private not in bot.output()
