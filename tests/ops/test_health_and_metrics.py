"""Prometheus' text format as written by bot.ops.metrics, and what /healthz calls wrong."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.outage import Outage
from bot.db import create_engine, session_factory
from bot.ops.logs import FORMAT, OneLineFormatter
from bot.ops.metrics import Counter, Gauge, Histogram, render
from bot.ops.server import Health, start_ops_server


def test_counters_gauges_and_a_histogram_in_text_format() -> None:
    sends = Counter("x_sends", "Sends.")
    sends.inc(channel="telegram", result="sent")
    sends.inc(2, channel="telegram", result="sent")
    sends.inc(channel='za"lo\\', result="failed")
    waiting = Gauge("x_waiting", "Waiting.")
    waiting.set(4)
    took = Histogram("x_seconds", "Time.", (0.1, 1.0))
    for value in (0.05, 0.1, 0.5, 3.0):
        took.observe(value, channel="telegram")
    assert render([sends, waiting, took]).splitlines() == [
        "# HELP x_sends Sends.",
        "# TYPE x_sends counter",
        'x_sends_total{channel="telegram",result="sent"} 3',
        'x_sends_total{channel="za\\"lo\\\\",result="failed"} 1',
        "# HELP x_waiting Waiting.",
        "# TYPE x_waiting gauge",
        "x_waiting 4",
        "# HELP x_seconds Time.",
        "# TYPE x_seconds histogram",
        'x_seconds_bucket{channel="telegram",le="0.1"} 2',  # le: less than or equal
        'x_seconds_bucket{channel="telegram",le="1"} 3',
        'x_seconds_bucket{channel="telegram",le="+Inf"} 4',
        'x_seconds_sum{channel="telegram"} 3.65',
        'x_seconds_count{channel="telegram"} 4',
    ]


async def health_of(
    sessions: async_sessionmaker[AsyncSession], outage: Outage, **parts: object
) -> tuple[int, dict[str, object]]:
    health = Health(
        engine=sessions.kw["bind"], sessions=sessions, outage=outage, scheduler_enabled=True
    )
    for name, value in parts.items():
        setattr(health, name, value)
    runner, port = await start_ops_server(health, "127.0.0.1", 0)
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        async with ClientSession() as client, client.get(url) as answer:
            return answer.status, await answer.json()
    finally:
        await runner.cleanup()


async def test_healthz_says_what_is_wrong(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    stop = asyncio.Event()
    running = asyncio.create_task(stop.wait())
    ended = asyncio.create_task(asyncio.sleep(0))
    await ended
    try:
        status, body = await health_of(sessions, Outage(), senders=[running])
        assert status == 200 and body["scheduler"] == "standing by"
        status, body = await health_of(sessions, Outage(), senders=[ended])
        assert status == 503 and body["senders"] == "0 of 1 running"
        status, body = await health_of(
            sessions, Outage(), senders=[running], leading=True, receiving=ended
        )
        assert status == 503 and body["receiver"] == "stopped"
        away = Outage()
        away.failed(OperationalError("SELECT 1", {}, ConnectionRefusedError("refused")))
        status, body = await health_of(sessions, away, senders=[running])
        assert status == 503 and body["database"] == "unreachable"
        empty = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
        try:
            status, body = await health_of(session_factory(empty), Outage(), senders=[running])
        finally:
            await empty.dispose()
        assert status == 503 and str(body["migrations"]).startswith("at none")
    finally:
        stop.set()
        await running


def test_the_ops_port_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (Settings().ops.host, Settings().ops.port) == ("127.0.0.1", 9108)
    monkeypatch.setenv("SINHKE_OPS__PORT", "0")
    assert Settings().ops.port == 0


def test_a_traceback_is_folded_into_its_event_line() -> None:
    formatter = OneLineFormatter(FORMAT)
    try:
        raise ValueError("first\nsecond")
    except ValueError:
        record = logging.LogRecord(
            "bot.app", logging.ERROR, __file__, 1, "inbound %s failed", (7,), sys.exc_info()
        )
    line = formatter.format(record)
    assert "\n" not in line
    assert line.split(" ", 2)[2].startswith("ERROR bot.app: inbound 7 failed ⏎ Traceback")
    assert "ValueError: first ⏎ second" in line


def test_webhook_sections_keep_their_own_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting one key of a webhook section kept the path of the generic default."""
    monkeypatch.setenv("SINHKE_TELEGRAM__WEBHOOK__SECRET", "a-secret-of-some-length")
    monkeypatch.setenv("SINHKE_ZALO__WEBHOOK__SECRET", "a-secret-of-some-length")
    settings = Settings()
    assert (settings.telegram.webhook.path, settings.telegram.webhook.port) == ("/telegram", 8080)
    assert (settings.zalo.webhook.path, settings.zalo.webhook.port) == ("/zalo", 8082)
