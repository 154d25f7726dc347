"""The Telegram Bot API stand-in as a process of its own, for benchmarks that drive a bot in
another process.

    python bench/standin_server.py [--port 0] [--enforce-rate] [--token T | --any-token]

Prints its base URL on the first line of stdout (point the bot's ``api_base`` at it), serves
until SIGINT / SIGTERM, then prints its final stats as JSON on stderr. Drive it over HTTP:

* ``POST /_control/push`` ``{"chat_id": 1, "text": "…"}`` → ``{"update_id": n}``
  (or ``{"chat_id", "callback_data", "message_id"}``, or ``{"update": {…}}``);
* ``GET /_control/sent?since=N`` → ``{"next": M, "sent": [records N … M-1]}``;
* ``GET /_control/stats`` → counts of sent, failed, calls per method, 429s, pending updates;
* ``POST /_control/fail_next`` ``{"method", "status", "retry_after"?, "times"?}``;
* ``POST /_control/block`` ``{"chat_id", "unblock"?}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin


async def serve(args: argparse.Namespace) -> None:
    standin = TelegramStandin(
        token=None if args.any_token else args.token,
        enforce_rate=args.enforce_rate,
        rate_global=args.rate_global,
        rate_per_chat=args.rate_per_chat,
        burst=args.burst,
        host=args.host,
        port=args.port,
    )
    print(await standin.start(), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await standin.stop()
        print(json.dumps(standin.stats()), file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the Telegram Bot API stand-in.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: an ephemeral port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--any-token", action="store_true", help="accept any bot token")
    parser.add_argument("--enforce-rate", action="store_true", help="answer 429 over the limits")
    parser.add_argument("--rate-global", type=int, default=30, help="messages a second in all")
    parser.add_argument("--rate-per-chat", type=float, default=1.0, help="per chat, a second")
    parser.add_argument("--burst", type=int, default=3, help="messages a chat may get at once")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(serve(parse_args()))
