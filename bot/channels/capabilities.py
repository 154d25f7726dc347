"""What each platform can show.  Static data, so the core can shape a message for a
contact on any channel, even one this process does not run."""

from __future__ import annotations

from bot.core.contract import Capabilities

TELEGRAM = Capabilities(text_limit=4096, buttons=True, edits=True, files=True)
ZALO = Capabilities(text_limit=2000, buttons=False, edits=False, files=False)
CONSOLE = Capabilities(text_limit=4096, buttons=False, edits=False, files=True)

KNOWN: dict[str, Capabilities] = {"telegram": TELEGRAM, "zalo": ZALO, "console": CONSOLE}
