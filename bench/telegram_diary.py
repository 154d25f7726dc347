"""Issue 4: households writing their diary on Telegram, end to end, against a bare aiogram
echo bot in the same run.

    python bench/telegram_diary.py [--households 200] [--messages 2000] [--database URL]

Targets on SQLite: at least 40% of the echo bot's throughput; p99 under 200 ms at 50
messages a second.
"""

from __future__ import annotations

import argparse
import asyncio

from diary_load import compare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database", help="default: a new SQLite file")
    args = parser.parse_args()
    asyncio.run(
        compare(
            database=args.database,
            households=args.households,
            messages=args.messages,
            rate=args.rate,
            seconds=args.seconds,
        )
    )
    print("targets: >= 40% of the echo bot; p99 < 200 ms at 50 msg/s (SQLite)")


if __name__ == "__main__":
    main()
