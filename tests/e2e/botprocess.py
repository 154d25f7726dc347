"""The real `sinhke run` as a child process, pointed at local stand-ins."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Several bots may run at once (tests, processes of one database): each its own ops port.
OPS_ANY_PORT = "\n[ops]\nport = 0\n"
OPS_LINE = re.compile(r"ops: /healthz and /metrics on (http://\S+)")


class BotProcess:
    """Start, stop (SIGTERM) or kill (SIGKILL) `python -m bot run` with a config file
    (``module``: another entry point for the same command, e.g. one with a fault hook)."""

    def __init__(
        self, config: Path, *, env: dict[str, str] | None = None, module: str = "bot"
    ) -> None:
        self.config = config
        self.env = env or {}
        self.module = module
        self.process: asyncio.subprocess.Process | None = None
        self.log = config.with_suffix(".log")

    async def start(self) -> None:
        handle = self.log.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            self.module,
            "--config",
            str(self.config),
            "run",
            cwd=str(ROOT),
            stdout=handle,
            stderr=handle,
            env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
        )
        handle.close()

    async def stop(self) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), 30)
        return code

    async def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def ops_url(self, timeout: float = 30) -> str:
        """Where this bot serves /healthz and /metrics (its log says, once started)."""
        await wait_until(lambda: OPS_LINE.search(self.output()) is not None, timeout)
        found = OPS_LINE.search(self.output())
        assert found is not None
        return found.group(1)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def __aenter__(self) -> BotProcess:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        """A bot a test did not stop itself is killed, so no test leaves one behind."""
        if self.running:
            await self.kill()


async def wait_until(predicate: Callable[[], bool], timeout: float) -> None:
    """Poll ``predicate`` every 0.1 s until it holds, failing after ``timeout`` seconds."""
    for _ in range(int(timeout * 10)):
        if predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s")


def write_config(
    path: Path, *, database_url: str, api_base: str, token: str, extra: str = ""
) -> Path:
    path.write_text(
        f'[database]\nurl = "{database_url}"\n\n'
        f'[telegram]\ntoken = "{token}"\napi_base = "{api_base}"\n\n'
        "[scheduler]\nenabled = false\n" + OPS_ANY_PORT + extra,
        encoding="utf-8",
    )
    return path


def write_zalo_config(
    path: Path, *, database_url: str, api_base: str, token: str, zalo: str = "", extra: str = ""
) -> Path:
    """A config with the Zalo channel only; ``zalo`` adds lines to its ``[zalo]`` section."""
    path.write_text(
        f'[database]\nurl = "{database_url}"\n\n'
        '[telegram]\ntoken = ""\n\n'
        f'[zalo]\ntoken = "{token}"\napi_base = "{api_base}"\n{zalo}\n\n'
        "[scheduler]\nenabled = false\n" + OPS_ANY_PORT + extra,
        encoding="utf-8",
    )
    return path
