"""Loading labelled message files (diary-dev.jsonl and our own cases.jsonl)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.language import ParseResult

HERE = Path(__file__).resolve().parent
DEFAULT_TODAY = date(2026, 3, 20)  # a Friday


@dataclass(frozen=True)
class Case:
    text: str
    entries: list[dict[str, Any]]
    clarify: bool
    ask: str | None = None
    today: date = DEFAULT_TODAY
    line: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def load(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        data = json.loads(line)
        today = date.fromisoformat(data["today"]) if "today" in data else DEFAULT_TODAY
        cases.append(
            Case(
                text=data["text"],
                entries=data["entries"],
                clarify=data["clarify"],
                ask=data.get("ask"),
                today=today,
                line=number,
            )
        )
    return cases


def mismatch(case: Case, result: ParseResult) -> str | None:
    """Why ``result`` is not what ``case`` expects, or None if it is."""
    got = result.to_json()
    keys = ("kind", "amount", "category")
    expected = [{k: e[k] for k in keys} for e in case.entries]
    actual = [{k: e[k] for k in keys} for e in got["entries"]]
    if actual != expected:
        return f"entries {actual} != {expected}"
    if got["clarify"] != case.clarify:
        return f"clarify {got['clarify']} (ask {got['ask']}) != {case.clarify}"
    if case.ask is not None and got["ask"] != case.ask:
        return f"ask {got['ask']} != {case.ask}"
    for entry, want in zip(got["entries"], case.entries, strict=True):
        if "date" in want and entry["date"] != want["date"]:
            return f"date {entry['date']} != {want['date']}"
        if "time" in want and entry["time"] != want["time"]:
            return f"time {entry['time']} != {want['time']}"
    return None
