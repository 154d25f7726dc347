"""Issue 10: 1,000 households write 20,000 diary messages through the Telegram stand-in,
on SQLite or PostgreSQL, against a bare aiogram echo bot in the same run.

    python bench/load.py [--database postgresql+asyncpg://…] [--messages 20000]

Prints throughput, reply latency (median, p99) at 100 messages a second, the bot's peak
memory and the ratio to the echo bot.  Targets on this 2-core machine: at least 35% of the
echo bot's throughput on SQLite; p99 under 500 ms at 100 msg/s; peak memory under 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio

from diary_load import compare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--lanes", type=int, default=0, help="worker lanes (default: by database)")
    parser.add_argument("--database", help="default: a new SQLite file")
    args = parser.parse_args()
    asyncio.run(
        compare(
            database=args.database,
            households=args.households,
            messages=args.messages,
            rate=args.rate,
            seconds=args.seconds,
            lanes=args.lanes,
        )
    )
    print("targets: >= 35% of the echo bot (SQLite); p99 < 500 ms at 100 msg/s; peak < 200 MB")


if __name__ == "__main__":
    main()
