"""What each platform can show, by channel name; also the list of channels.

Static, so the core shapes a message for a contact on any channel, even one this process
does not run (a notice from the scheduler, a broadcast from the CLI).  Each name is a
folder (or module) under ``bot/channels`` whose ``from_settings`` builds its adapter
(see ``bot.cli.run.configured_channels``): adding a channel is that folder and a line here.
"""

from __future__ import annotations

from bot.core.contract import Capabilities

TELEGRAM = Capabilities(text_limit=4096, buttons=True, edits=True, files=True)
ZALO = Capabilities(text_limit=2000, buttons=False, edits=False, files=False)
CONSOLE = Capabilities(text_limit=4096, buttons=False, edits=False, files=True)

KNOWN: dict[str, Capabilities] = {"telegram": TELEGRAM, "zalo": ZALO, "console": CONSOLE}
