"""parse_stream: one JSON object per message, in order, errors reported and skipped."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date

from bot.language.stream import FLUSH_EVERY, parse_stream

TODAY = date(2026, 3, 20)


class CountingStream(io.StringIO):
    def __init__(self, *, tty: bool = False) -> None:
        super().__init__()
        self.flushes = 0
        self._tty = tty

    def flush(self) -> None:
        self.flushes += 1
        super().flush()

    def isatty(self) -> bool:
        return self._tty


def _objects(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_plain_lines() -> None:
    out = io.StringIO()
    count = parse_stream(
        ["bán heo 3 triệu\n", "\n", "200k\r\n", "xin chào"], out, today=TODAY, jsonl=False
    )
    objects = _objects(out)
    assert count == 3
    assert [o["text"] for o in objects] == ["bán heo 3 triệu", "200k", "xin chào"]
    assert objects[0]["entries"] == [
        {
            "kind": "income",
            "amount": 3000000,
            "category": "livestock",
            "date": "2026-03-20",
            "time": None,
        }
    ]
    assert objects[0]["clarify"] is False
    assert objects[1]["clarify"] is True and objects[1]["ask"] == "direction"
    assert objects[1]["amounts"] == [200000]
    assert objects[2] == {
        "text": "xin chào",
        "entries": [],
        "clarify": False,
        "ask": None,
        "amounts": [],
    }


def test_jsonl_keeps_the_input_fields_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"id": 7, "text": "mua phân 500k", "entries": "expected"}),
        "{not json",
        json.dumps({"id": 8}),
        json.dumps(["text"]),
        json.dumps({"id": 9, "text": "tiền điện 230"}, ensure_ascii=False),
    ]
    out = io.StringIO()
    count = parse_stream((line + "\n" for line in lines), out, today=TODAY, jsonl=True)
    objects = _objects(out)
    assert count == 5
    assert objects[0]["id"] == 7
    assert objects[0]["entries"][0]["category"] == "production"  # type: ignore[index]
    assert objects[1]["line"] == 2 and "error" in objects[1]
    assert objects[2]["line"] == 3 and "error" in objects[2]
    assert objects[3]["line"] == 4 and "error" in objects[3]
    assert objects[4]["id"] == 9 and objects[4]["amounts"] == [230000]


def test_output_is_unicode_not_escaped() -> None:
    out = io.StringIO()
    parse_stream(["bán heo 3 triệu"], out, today=TODAY, jsonl=False)
    assert "bán heo" in out.getvalue()


def test_flushes_in_batches_and_at_the_end() -> None:
    out = CountingStream()
    parse_stream(["200k"] * (FLUSH_EVERY * 2 + 5), out, today=TODAY, jsonl=False)
    assert out.flushes == 3  # two full batches, then the end


def test_flushes_every_line_on_a_terminal() -> None:
    out = CountingStream(tty=True)
    parse_stream(["200k"] * 10, out, today=TODAY, jsonl=False)
    assert out.flushes >= 10


def test_lines_come_out_as_they_go() -> None:
    """A consumer sees early results before the input ends (a generator is not drained)."""
    out = io.StringIO()
    seen: list[int] = []

    def lines() -> Iterator[str]:
        for i in range(3):
            seen.append(len(out.getvalue().splitlines()))
            yield f"bán heo {i + 1} triệu"

    parse_stream(lines(), out, today=TODAY, jsonl=False)
    assert seen == [0, 1, 2]
