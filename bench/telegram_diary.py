"""Issue 4: households writing their diary on Telegram, end to end, against a bare aiogram
echo bot in the same run.

    python bench/telegram_diary.py [--households 200] [--messages 2000] [--database URL]

Targets on SQLite: at least 40% of the echo bot's throughput; p99 under 200 ms at 50
messages a second.
"""

from diary_load import cli

if __name__ == "__main__":
    cli(
        __doc__,
        households=200,
        messages=2000,
        rate=50,
        seconds=20,
        targets=">= 40% of the echo bot; p99 < 200 ms at 50 msg/s (SQLite)",
    )
