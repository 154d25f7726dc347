"""Households writing their diary through the Telegram stand-in, measured against a bare
aiogram echo bot in the same run.  Shared by bench/telegram_diary.py (issue 4) and
bench/load.py (issue 10), which only choose the sizes and targets.

Two measures for each bot (the real `sinhke run` and bench/echo_bot.py, each a child
process against its own in-process stand-in):

* throughput: every message pushed at once, time until every reply has come;
* latency: messages pushed at a steady rate, time from push to reply (median, p99).

The real bot's platform pacing is lifted (rate_global, rate_per_chat) because this
measures how fast it handles messages, not Telegram's limits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402

from bot.db import alembic_config, create_engine, session_factory  # noqa: E402
from tests.dialog import seed_joined_households, seed_programme  # noqa: E402
from tests.e2e.botprocess import write_config  # noqa: E402
from tests.standins.telegram import DEFAULT_TOKEN, SentRecord, TelegramStandin  # noqa: E402

FIRST_CHAT = 50_000_000


@dataclass(frozen=True)
class Result:
    throughput: float  # messages per second, all pushed at once
    latencies: list[float]  # seconds, at the steady rate
    peak_rss_mb: float
    cpu_ms: float  # the bot process's CPU time per message, in the throughput run

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def message(n: int) -> str:
    """A diary line whose reply can be told apart: the amount is unique."""
    return f"bán trứng {n + 1}k"


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


async def seed(url: str, households: int) -> list[int]:
    # Alembic runs its own event loop: give it a thread of its own.
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
    engine = create_engine(url)
    sessions = session_factory(engine)
    await seed_programme(sessions, households=0)
    chats: list[int] = []
    for start in range(0, households, 2000):
        chats += await seed_joined_households(
            sessions, min(2000, households - start), first_address=FIRST_CHAT + start
        )
    await engine.dispose()
    return chats


async def _start(argv: list[str], log: Path) -> asyncio.subprocess.Process:
    handle = log.open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            *argv,
            cwd=str(ROOT),
            stdout=handle,
            stderr=handle,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    finally:
        handle.close()


async def _wait_ready(telegram: TelegramStandin, timeout: float = 60) -> None:
    """The bot is polling once it has asked for updates."""
    deadline = time.monotonic() + timeout
    while telegram.get_updates_calls == 0:
        if time.monotonic() > deadline:
            raise TimeoutError("the bot never polled")
        await asyncio.sleep(0.1)


def _replied(telegram: TelegramStandin, since: int) -> list[SentRecord]:
    return [r for r in telegram.sent[since:] if r.method == "sendMessage"]


async def _throughput(telegram: TelegramStandin, chats: list[int], count: int) -> float:
    since = len(telegram.sent)
    started = time.perf_counter()
    for n in range(count):
        telegram.push_text(chats[n % len(chats)], message(n))
    await telegram.wait_for(
        # Counting, not scanning: the predicate runs at every message the stand-in records,
        # and an O(n) scan there made the stand-in itself the bottleneck.
        lambda _: len(telegram.sent) - since >= count,
        timeout=count / 5 + 60,
        since=since,
    )
    return count / (time.perf_counter() - started)


_NUMBER = re.compile(r"(\d[\d.,]*)")


def _message_number(record: SentRecord) -> int | None:
    """Which message a reply answers: the echo repeats "bán trứng Nk"; the diary's reply
    shows the sum, N.000 ₫."""
    match = _NUMBER.search((record.text or "").split("trứng")[-1])
    if match is None:
        return None
    digits = re.sub(r"[.,]", "", match.group(1))
    value = int(digits) if digits else 0
    return value // 1000 if "₫" in (record.text or "") else value


async def _latency(
    telegram: TelegramStandin, chats: list[int], rate: float, seconds: float, offset: int
) -> list[float]:
    """Push ``rate`` messages a second; time each until its own reply."""
    pushed: dict[int, float] = {}
    since = len(telegram.sent)
    total = int(rate * seconds)
    started = time.perf_counter()
    for n in range(offset, offset + total):
        pushed[n + 1] = time.time()
        telegram.push_text(chats[n % len(chats)], message(n))
        await asyncio.sleep(max(0.0, started + (n - offset + 1) / rate - time.perf_counter()))
    await telegram.wait_for(lambda _: len(telegram.sent) - since >= total, timeout=60, since=since)
    latencies = []
    for record in _replied(telegram, since):
        sent_at = pushed.pop(_message_number(record) or -1, None)
        if sent_at is not None:
            latencies.append(record.at - sent_at)
    return latencies


async def run_bot(
    argv: Callable[[str, Path], list[str]],
    chats: list[int],
    *,
    messages: int,
    rate: float,
    seconds: float,
    workdir: Path,
    name: str,
) -> Result:
    async with TelegramStandin() as telegram:
        process = await _start(argv(telegram.base_url, workdir), workdir / f"{name}.log")
        try:
            await _wait_ready(telegram)
            cpu_before = cpu_seconds(process.pid)
            throughput = await _throughput(telegram, chats, messages)
            cpu_ms = (cpu_seconds(process.pid) - cpu_before) * 1000 / messages
            await asyncio.sleep(1)
            latencies = await _latency(telegram, chats, rate, seconds, messages)
            return Result(throughput, latencies, peak_rss_mb(process.pid), cpu_ms)
        finally:
            process.terminate()
            await process.wait()


def sinhke_argv(url: str, lanes: int) -> Callable[[str, Path], list[str]]:
    def argv(api_base: str, workdir: Path) -> list[str]:
        config = write_config(
            workdir / "bench.toml", database_url=url, api_base=api_base, token=DEFAULT_TOKEN
        )
        config.write_text(
            config.read_text().replace(
                "[telegram]\n", "[telegram]\nrate_global = 100000\nrate_per_chat = 100000\n"
            )
        )
        extra = ["--lanes", str(lanes)] if lanes else []
        return [sys.executable, "-m", "bot", "--config", str(config), "run", *extra]

    return argv


def echo_argv(api_base: str, _workdir: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "bench" / "echo_bot.py"),
        "--api-base",
        api_base,
        "--token",
        DEFAULT_TOKEN,
    ]


def report(label: str, result: Result) -> None:
    print(
        f"{label:<10} throughput {result.throughput:7.1f} msg/s "
        f"({result.cpu_ms:4.2f} ms CPU each) | latency median "
        f"{statistics.median(result.latencies) * 1000:6.1f} ms, "
        f"p99 {result.p(0.99) * 1000:6.1f} ms "
        f"({len(result.latencies)} replies) | peak memory {result.peak_rss_mb:5.1f} MB"
    )


async def compare(
    *,
    database: str | None,
    households: int,
    messages: int,
    rate: float,
    seconds: float,
    lanes: int = 0,
) -> tuple[Result, Result]:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(os.environ.get("SINHKE_BENCH_DIR") or folder)
        url = database or f"sqlite+aiosqlite:///{folder}/bench.db"
        started = time.perf_counter()
        chats = await seed(url, households)
        backend = url.split(":", 1)[0]
        print(
            f"{backend}: {households} households seeded in {time.perf_counter() - started:.1f} s; "
            f"{messages} messages at once, then {rate:g} msg/s for {seconds:g} s"
        )
        bot = await run_bot(
            sinhke_argv(url, lanes),
            chats,
            messages=messages,
            rate=rate,
            seconds=seconds,
            workdir=workdir,
            name="sinhke",
        )
        echo = await run_bot(
            echo_argv,
            chats,
            messages=messages,
            rate=rate,
            seconds=seconds,
            workdir=workdir,
            name="echo",
        )
        report("sinhke", bot)
        report("echo bot", echo)
        print(f"ratio: {bot.throughput / echo.throughput:.0%} of the echo bot's throughput")
        return bot, echo


def cli(
    doc: str, *, households: int, messages: int, rate: float, seconds: float, targets: str
) -> None:
    """The command line of a benchmark built on :func:`compare`, with its own defaults."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--households", type=int, default=households)
    parser.add_argument("--messages", type=int, default=messages)
    parser.add_argument("--rate", type=float, default=rate)
    parser.add_argument("--seconds", type=float, default=seconds)
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
    print(f"targets: {targets}")
