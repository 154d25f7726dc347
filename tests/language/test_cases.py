"""Our own labelled cases (cases.jsonl): every one exactly right, dates included."""

from __future__ import annotations

import pytest

from bot.language import parse_message
from tests.language.corpus import HERE, Case, load, mismatch

CASES = load(HERE / "cases.jsonl")


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 200
    assert len({case.text for case in CASES}) == len(CASES), "duplicate texts"


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.line}:{case.text[:40]}")
def test_case(case: Case) -> None:
    why = mismatch(case, parse_message(case.text, today=case.today))
    assert why is None, f"{case.text!r}: {why}"
