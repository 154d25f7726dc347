"""The shared labelled examples (diary-dev.jsonl): at least 98% exactly right."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.language import parse_message
from tests.language.corpus import HERE, load, mismatch

TARGET = 0.98


def _corpus_files() -> list[Path]:
    """The local copy, and the shared original beside the clone when it differs."""
    candidates = [
        HERE / "diary-dev.jsonl",
        Path(__file__).resolve().parents[3] / "shared" / "diary-dev.jsonl",
    ]
    if os.environ.get("SINHKE_SHARED_DIR"):
        candidates.append(Path(os.environ["SINHKE_SHARED_DIR"]) / "diary-dev.jsonl")
    found: list[Path] = []
    texts: set[str] = set()
    for path in candidates:
        if path.is_file():
            content = path.read_text(encoding="utf-8")
            if content not in texts:
                texts.add(content)
                found.append(path)
    return found


@pytest.mark.parametrize("path", _corpus_files() or [None], ids=str)
def test_dev_corpus_accuracy(path: Path | None) -> None:
    if path is None:
        pytest.skip("diary-dev.jsonl not found (tests/language/, ../shared/ or $SINHKE_SHARED_DIR)")
    cases = load(path)
    misses = []
    for case in cases:
        why = mismatch(case, parse_message(case.text, today=case.today))
        if why is not None:
            misses.append(f"line {case.line}: {case.text!r}: {why}")
    accuracy = 1 - len(misses) / len(cases)
    print(f"\n{path}: {len(cases) - len(misses)}/{len(cases)} = {accuracy:.1%}")
    for miss in misses:
        print("  MISS", miss)
    assert accuracy >= TARGET, "\n".join(misses)
