"""Reading many messages: one JSON object out per message in, in order.

Used by ``sinhke parse``.  Plain mode reads one message per line; JSON-lines mode reads
objects with a ``text`` field and writes them back with the reading added, so a labelled
corpus comes out with the reader's answers beside its own.

Output is written per message and flushed every ``FLUSH_EVERY`` messages and at the end:
flushing each line costs a system call per message, too slow for 100 000 lines piped
through.  When the output is a terminal someone is watching it, so every line is
flushed there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any, Final, TextIO

from bot.language.lexicon import Lexicon, default_lexicon
from bot.language.parser import DEFAULT_CEILING, parse_message

FLUSH_EVERY: Final = 256


def parse_stream(
    lines: Iterable[str],
    out: TextIO,
    *,
    today: date,
    jsonl: bool,
    ceiling: int = DEFAULT_CEILING,
    lexicon: Lexicon | None = None,
) -> int:
    """Read each line, write one JSON object per message to ``out``; return how many.

    Blank lines are skipped.  In ``jsonl`` mode a line that is not a JSON object with a
    string ``text`` gives ``{"error": ..., "line": n}`` and reading goes on.  The count
    returned includes those error objects (it is the number of lines written).
    """
    lex = lexicon if lexicon is not None else default_lexicon()
    interactive = _is_terminal(out)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    written = 0
    for number, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        record = _record(text, number, jsonl=jsonl, today=today, ceiling=ceiling, lexicon=lex)
        out.write(dumps(record))
        out.write("\n")
        written += 1
        if interactive or written % FLUSH_EVERY == 0:
            out.flush()
    out.flush()
    return written


def _record(
    line: str, number: int, *, jsonl: bool, today: date, ceiling: int, lexicon: Lexicon
) -> dict[str, Any]:
    if jsonl:
        try:
            data = json.loads(line)
        except ValueError as error:
            return {"error": f"not JSON: {error}", "line": number}
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return {"error": 'expected a JSON object with a "text" string', "line": number}
        record: dict[str, Any] = dict(data)
        text: str = data["text"]
    else:
        record = {"text": line}
        text = line
    result = parse_message(text, today=today, ceiling=ceiling, lexicon=lexicon)
    record.update(result.to_json())
    return record


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
