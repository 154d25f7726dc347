"""Benchmark of the diary reader: messages per second, and a 100 000-line stream.

    .venv/bin/python bench/parse.py [--messages 100000] [--profile]

Parses the dev corpus repeated to ``--messages`` messages on one core and prints the
rate (target: at least 20 000 messages/s), then times ``parse_stream`` over as many JSON
lines end to end, JSON decoding and encoding included (target: under 10 s).  Prints
figures only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from datetime import date
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.language import parse_message  # noqa: E402
from bot.language.lexicon import default_lexicon  # noqa: E402
from bot.language.stream import parse_stream  # noqa: E402

CORPUS = ROOT / "tests" / "language" / "diary-dev.jsonl"
TODAY = date(2026, 3, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    args = parser.parse_args()

    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    messages = list(islice(cycle(texts), args.messages))
    default_lexicon()  # loaded once, outside the timing

    for text in texts:  # warm up
        parse_message(text, today=TODAY)
    started = time.perf_counter()
    for text in messages:
        parse_message(text, today=TODAY)
    elapsed = time.perf_counter() - started
    rate = len(messages) / elapsed
    print(
        f"parse_message: {len(messages)} messages in {elapsed:.2f} s = {rate:,.0f} messages/s "
        f"({elapsed / len(messages) * 1e6:.1f} µs each; target ≥ 20,000/s)"
    )

    jsonl = list(islice(cycle(lines), args.messages))
    out = io.StringIO()
    started = time.perf_counter()
    written = parse_stream((line + "\n" for line in jsonl), out, today=TODAY, jsonl=True)
    elapsed = time.perf_counter() - started
    print(
        f"parse_stream:  {written} JSON lines in {elapsed:.2f} s end to end "
        f"(target < 10 s); {len(out.getvalue()) / 1e6:.1f} MB written"
    )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for text in messages[:20_000]:
            parse_message(text, today=TODAY)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
