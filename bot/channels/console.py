"""The terminal chat: the whole message path (inbound, handler, outbox, sender) with the
terminal as the platform.  Files the bot sends are written under ``data/console``."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.core.capabilities import CONSOLE
from bot.core.contract import Reply, SendResult


def from_settings(settings: Settings) -> None:
    """None: the terminal chat is ``sinhke demo``'s (bot.cli.demo), not ``sinhke run``'s."""
    return None


class ConsoleChannel:
    name = "console"
    capabilities = CONSOLE
    rate_global = 1000.0
    rate_per_chat = 1000.0
    monthly_quota = 0

    def __init__(self, out: TextIO, files_dir: Path) -> None:
        self.out = out
        self.files_dir = files_dir
        self._ids = itertools.count(1)

    async def send(self, address: str, reply: Reply, *, edit_ref: str | None) -> SendResult:
        lines = [
            f"🤖 {line}" if i == 0 else f"   {line}"
            for i, line in enumerate(reply.text.splitlines())
        ]
        if reply.attachment is not None:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / reply.attachment.filename
            path.write_bytes(reply.attachment.data)
            lines.append(f"   📎 {path}")
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()
        return SendResult(ok=True, external_id=str(next(self._ids)))
