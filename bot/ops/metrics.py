"""Counters, gauges and a histogram in Prometheus' text format (version 0.0.4).

Small on purpose: the bot needs a handful of series, so it writes the format itself rather
than carry a client library.  Counters and the histogram live in this process (they start
at zero with it, as Prometheus expects); gauges of the database (outbox, alerts) are read
at each scrape by :mod:`bot.ops.server`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

Labels = tuple[tuple[str, str], ...]


def _labels(labels: Labels, extra: Labels = ()) -> str:
    pairs = (*labels, *extra)
    if not pairs:
        return ""
    escaped = (
        f'{key}="{value.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
        for key, value in pairs
    )
    return "{" + ",".join(escaped) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if value != int(value) else str(int(value))


class Counter:
    kind = "counter"

    def __init__(self, name: str, help_text: str) -> None:
        self.name, self.help = name, help_text
        self.values: dict[Labels, float] = {}

    def inc(self, amount: float = 1, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        self.values[key] = self.values.get(key, 0) + amount

    def value(self, **labels: str) -> float:
        return self.values.get(tuple(sorted(labels.items())), 0)

    def samples(self) -> Iterable[str]:
        for labels, value in sorted(self.values.items()):
            yield f"{self.name}_total{_labels(labels)} {_number(value)}"


class Gauge(Counter):
    kind = "gauge"

    def set(self, value: float, **labels: str) -> None:
        self.values[tuple(sorted(labels.items()))] = value

    def samples(self) -> Iterable[str]:
        for labels, value in sorted(self.values.items()):
            yield f"{self.name}{_labels(labels)} {_number(value)}"


class Histogram:
    kind = "histogram"

    def __init__(self, name: str, help_text: str, buckets: Sequence[float]) -> None:
        self.name, self.help = name, help_text
        self.bounds = sorted(buckets)
        self.counts: dict[Labels, list[int]] = {}  # per bucket, not cumulative
        self.sums: dict[Labels, float] = {}

    def observe(self, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        counts = self.counts.setdefault(key, [0] * (len(self.bounds) + 1))
        counts[bisect.bisect_left(self.bounds, value)] += 1
        self.sums[key] = self.sums.get(key, 0.0) + value

    def samples(self) -> Iterable[str]:
        for labels, counts in sorted(self.counts.items()):
            running = 0
            for bound, count in zip((*self.bounds, math.inf), counts, strict=True):
                running += count
                le = (("le", _number(bound)),)
                yield f"{self.name}_bucket{_labels(labels, le)} {running}"
            yield f"{self.name}_sum{_labels(labels)} {_number(self.sums[labels])}"
            yield f"{self.name}_count{_labels(labels)} {running}"


Metric = Counter | Histogram


def render(metrics: Iterable[Metric]) -> str:
    lines: list[str] = []
    for metric in metrics:
        lines.append(f"# HELP {metric.name} {metric.help}")
        lines.append(f"# TYPE {metric.name} {metric.kind}")
        lines.extend(metric.samples())
    return "\n".join(lines) + "\n"


# The process's own series, counted where the work is done.
UPDATES_RECEIVED = Counter("sinhke_updates_received", "Updates stored from a platform, by channel.")
UPDATES_HANDLED = Counter(
    "sinhke_updates_handled", "Updates handled, by channel and result (done, failed)."
)
HANDLING_SECONDS = Histogram(
    "sinhke_handling_seconds",
    "Time to handle an update (its burst's transaction), by channel.",
    (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SENDS = Counter(
    "sinhke_sends",
    "Send attempts, by channel and result (sent, blocked, failed, retry, rate_limited).",
)
RATE_LIMITED = Counter(
    "sinhke_rate_limited", "Answers 429 (too many requests) from a platform, by channel."
)
PROCESS_METRICS: tuple[Metric, ...] = (
    UPDATES_RECEIVED,
    UPDATES_HANDLED,
    HANDLING_SECONDS,
    SENDS,
    RATE_LIMITED,
)
