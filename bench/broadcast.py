"""Broadcast throughput: N recipients through the Telegram stand-in enforcing 30 msg/s,
with households writing to the bot during it.

    python bench/broadcast.py [--recipients 10000] [--database URL]

Runs the real `sinhke run` (a child process) against an in-process stand-in, queues one
notice with `sinhke broadcast send`, and prints: messages per second sustained (first to
last notice), 429 answers, and how fast household replies came while it ran.
Targets (issue 8): at least 27 messages/s, a handful of 429s at most, replies within 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402

from bot.db import alembic_config, create_engine, session_factory  # noqa: E402
from tests.dialog import seed_joined_households, seed_programme  # noqa: E402
from tests.e2e.botprocess import BotProcess, write_config  # noqa: E402
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin  # noqa: E402

NOTICE = "Thông báo: họp dân tối thứ bảy tại nhà văn hoá ấp"
TALKERS = 20  # households that write to the bot while the notice goes out


async def seed(url: str, recipients: int) -> list[int]:
    # Alembic runs its own event loop: give it a thread of its own.
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
    engine = create_engine(url)
    sessions = session_factory(engine)
    await seed_programme(sessions, households=0)
    chats: list[int] = []
    for start in range(0, recipients, 2000):  # in chunks: one transaction each
        chats += await seed_joined_households(
            sessions, min(2000, recipients - start), first_address=10_000_000 + start
        )
    await engine.dispose()
    return chats


async def measure(url: str, recipients: int, workdir: Path) -> None:
    started = time.perf_counter()
    chats = await seed(url, recipients)
    print(f"seeded {recipients} joined households in {time.perf_counter() - started:.1f} s")
    talkers = chats[:TALKERS]
    async with TelegramStandin(enforce_rate=True) as telegram:
        config = write_config(
            workdir / "bench.toml",
            database_url=url,
            api_base=telegram.base_url,
            token=DEFAULT_TOKEN,
        )
        async with BotProcess(config) as bot:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bot",
                    "--config",
                    str(config),
                    "broadcast",
                    "send",
                    "--text",
                    NOTICE,
                    "--to",
                    "all",
                ],
                check=True,
                cwd=ROOT,
                capture_output=True,
            )
            latencies = await talk_while_sending(telegram, talkers, recipients)
            times = [r.at for r in telegram.sent if r.text == NOTICE]
            span = max(times) - min(times)
            rate = (len(times) - 1) / span if span > 0 else float("inf")
            print(f"notices delivered: {len(times)} of {recipients} in {span:.1f} s")
            print(f"throughput: {rate:.1f} messages/s sustained (target >= 27)")
            print(f"429 answers: {telegram.rejected_429} (target: a handful)")
            if latencies:
                print(
                    f"household replies during the broadcast: {len(latencies)}, "
                    f"median {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s "
                    "(target <= 2 s)"
                )
            await bot.stop()


async def talk_while_sending(
    telegram: TelegramStandin, talkers: list[int], recipients: int
) -> list[float]:
    """Every second one household asks /homnay; time how long its answer takes."""
    latencies: list[float] = []
    deadline = time.time() + recipients / 20 + 120
    turn = 0
    while time.time() < deadline:
        delivered = sum(1 for r in telegram.sent if r.text == NOTICE)
        if delivered >= recipients:
            break
        if delivered > 0:
            chat = talkers[turn % len(talkers)]
            turn += 1
            since = len(telegram.sent)
            asked = time.time()
            telegram.push_text(chat, "/homnay")
            try:
                await telegram.wait_for(
                    lambda r, chat=chat: r.chat_id == chat and r.text != NOTICE,
                    timeout=30,
                    since=since,
                )
                latencies.append(time.time() - asked)
            except TimeoutError:
                latencies.append(30.0)
        await asyncio.sleep(1.0)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--database", help="default: a new SQLite file in a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{folder}/bench.db"
        asyncio.run(measure(url, args.recipients, Path(folder)))


if __name__ == "__main__":
    main()
