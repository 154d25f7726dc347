"""bench/echo_bot.py and bench/standin_server.py run as the processes benchmarks start."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from aiohttp import ClientSession

from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

BENCH = Path(__file__).resolve().parents[2] / "bench"
CHAT = 77


async def test_echo_bot_answers_through_the_standin() -> None:
    async with TelegramStandin() as tg:
        tg.push_text(CHAT, "vang vọng")
        bot = await asyncio.create_subprocess_exec(
            sys.executable,
            str(BENCH / "echo_bot.py"),
            *("--api-base", tg.base_url, "--token", DEFAULT_TOKEN, "--polling-timeout", "1"),
        )
        try:
            reply = await tg.wait_for(lambda r: r.chat_id == CHAT, timeout=60)
        finally:
            bot.terminate()  # aiogram stops polling gracefully on SIGTERM
            assert await asyncio.wait_for(bot.wait(), 30) == 0
    assert (reply.method, reply.text) == ("sendMessage", "vang vọng")


async def test_standin_server_runs_alone_and_is_driven_over_http() -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        str(BENCH / "standin_server.py"),
        "--any-token",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert server.stdout is not None
    try:
        base_url = (await asyncio.wait_for(server.stdout.readline(), 60)).decode().strip()
        async with ClientSession(base_url=base_url) as http:
            async with http.post("/_control/push", json={"chat_id": CHAT, "text": "hi"}) as resp:
                update_id = (await resp.json())["update_id"]
            async with http.post("/bot42:any/getUpdates", data={"timeout": "1"}) as resp:
                (update,) = (await resp.json())["result"]
            async with http.post(
                "/bot42:any/sendMessage", data={"chat_id": CHAT, "text": "chào"}
            ) as resp:
                assert resp.status == 200
            async with http.get("/_control/sent", params={"since": "0"}) as resp:
                page = await resp.json()
    finally:
        server.terminate()
        _, stderr = await asyncio.wait_for(server.communicate(), 30)

    assert base_url.startswith("http://127.0.0.1:")
    assert update["update_id"] == update_id and update["message"]["text"] == "hi"
    assert [record["text"] for record in page["sent"]] == ["chào"]
    stats = json.loads(stderr.decode().strip().splitlines()[-1])
    assert stats["sent"] == 1 and stats["get_updates_calls"] == 1
