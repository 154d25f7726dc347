"""Issue 10: 1,000 households write 20,000 diary messages through the Telegram stand-in,
on SQLite or PostgreSQL, against a bare aiogram echo bot in the same run.

    python bench/load.py [--database postgresql+asyncpg://…] [--messages 20000]

Prints throughput, reply latency (median, p99) at 100 messages a second, the bot's peak
memory and the ratio to the echo bot.  Targets on this 2-core machine: at least 35% of the
echo bot's throughput on SQLite; p99 under 500 ms at 100 msg/s; peak memory under 200 MB.
"""

from diary_load import cli

if __name__ == "__main__":
    cli(
        __doc__,
        households=1000,
        messages=20_000,
        rate=100,
        seconds=30,
        targets=">= 35% of the echo bot (SQLite); p99 < 500 ms at 100 msg/s; peak < 200 MB",
    )
