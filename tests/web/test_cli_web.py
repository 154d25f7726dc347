"""`sinhke web` serves the web page alone, on the database `sinhke run` uses."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

from aiohttp import ClientSession

from tests.e2e.botprocess import ROOT, wait_until

SERVING = re.compile(r"web: officers' page on (http://\S+)")


async def test_sinhke_web_serves_alone(tmp_path: Path, database_url: str, sessions: object) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{database_url}"\n\n[web]\nenabled = true\nport = 0\n',
        encoding="utf-8",
    )
    log = tmp_path / "web.log"
    with log.open("wb") as handle:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "web",
            cwd=str(ROOT),
            stdout=handle,
            stderr=handle,
        )
    try:
        await wait_until(lambda: SERVING.search(log.read_text()) is not None, 120)
        found = SERVING.search(log.read_text())
        assert found is not None
        async with ClientSession() as http, http.get(found.group(1) + "/") as response:
            assert response.status == 401  # no session: the page says to send /web
            assert "/web" in await response.text()
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
