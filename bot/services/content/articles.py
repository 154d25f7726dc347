"""An article file: its front matter and body, read into an :class:`Article` or the
:class:`Problem` found in it, with the file and line.

Articles live under ``content/<language>/<slug>.md``: a front matter block of simple
``key: value`` lines between two ``---`` lines, then a short Markdown body.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

LANGUAGES: tuple[str, ...] = ("vi", "en")
SOURCE_LANGUAGE = "vi"
TOPICS: tuple[str, ...] = ("overseas_work", "legal_aid", "social_services")

# User-visible labels, keyed by language; to be moved behind gettext with the rest.
TOPIC_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "overseas_work": "Đi làm việc ở nước ngoài",
        "legal_aid": "Trợ giúp pháp lý miễn phí",
        "social_services": "Chính sách cho hộ nghèo, cận nghèo",
    },
    "en": {
        "overseas_work": "Working abroad",
        "legal_aid": "Free legal aid",
        "social_services": "Support for poor and near-poor households",
    },
}

REQUIRED_KEYS: tuple[str, ...] = (
    "title",
    "topic",
    "language",
    "valid_from",
    "review_by",
    "source",
    "reviewed_by",
    "keywords",
    "answer",
)
OPTIONAL_KEYS: tuple[str, ...] = ("local_check",)
_KNOWN_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS

_FENCE = "---"
_KEY_VALUE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")  # a Markdown link: [text](address)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "07/2021/NĐ-CP", "16/2023/QĐ-TTg", "69/2020/QH14": a household reads what the rule says,
# not its number; numbers belong in the article's ``source``.
DECREE_NUMBER = re.compile(r"\b\d{1,3}/\d{4}/(?:NĐ|ND|QĐ|QD|TT|QH)[\w-]*", re.IGNORECASE)
# The answer shown first: two or three short lines (cost, who can, where to go, phone).
ANSWER_LINES = (2, 3)
ANSWER_LINE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Topic:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    language: str
    title: str
    topic: str
    valid_from: date
    review_by: date
    source: tuple[str, ...]
    reviewed_by: str
    keywords: tuple[str, ...]
    local_check: str | None
    body: str
    path: Path
    answer: tuple[str, ...] = ()  # the lines shown first; the body is behind "Xem thêm"


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in a content file; ``line`` is 0 when it concerns the whole file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


def parse(path: Path, folder_language: str) -> tuple[Article | None, list[Problem]]:
    """Read one article file; return the article only when it has no problem."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None, [Problem(path, 0, "not UTF-8 text: save the file as UTF-8")]
    except OSError as error:
        return None, [Problem(path, 0, f"cannot read the file: {error.strerror}")]
    lines = text.splitlines()
    if not _SLUG.match(path.stem):
        problem(0, f"file name {path.name!r}: use lower-case letters, digits and '-' only")
    if not lines or lines[0].strip() != _FENCE:
        problem(1, f"front matter missing: the file must start with a line '{_FENCE}'")
        return None, problems
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == _FENCE), None)
    if closing is None:
        problem(1, f"front matter not closed: add a line '{_FENCE}' after the last key")
        return None, problems

    fields: dict[str, tuple[str, int]] = {}
    written: set[str] = set()  # keys present, even with a mistake already reported
    for number in range(2, closing + 1):
        raw = lines[number - 1]
        if not raw.strip():
            continue
        match = _KEY_VALUE.match(raw.strip())
        if match is None:
            problem(number, f"expected 'key: value', got {raw.strip()!r}")
            continue
        key, value = match.group(1), _unquote(match.group(2).strip())
        written.add(key)
        if key not in _KNOWN_KEYS:
            hint = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            problem(number, f"unknown key {key!r}{suggestion}")
        elif key in fields:
            problem(number, f"key {key!r} given twice (first on line {fields[key][1]})")
        elif not value:
            problem(number, f"key {key!r} has no value")
        else:
            fields[key] = (value, number)
    for key in REQUIRED_KEYS:
        if key not in written:
            problem(1, f"required key {key!r} missing from the front matter")

    topic = _check_choice(fields, "topic", TOPICS, problem)
    language = _check_choice(fields, "language", LANGUAGES, problem)
    if language is not None and language != folder_language:
        problem(
            fields["language"][1],
            f"language {language!r} does not match the folder {folder_language!r}",
        )
    valid_from = _check_date(fields, "valid_from", problem)
    review_by = _check_date(fields, "review_by", problem)
    if valid_from is not None and review_by is not None and review_by < valid_from:
        problem(fields["review_by"][1], "review_by is earlier than valid_from")

    body_start = closing + 1  # 0-based index of the first body line
    body = "\n".join(lines[body_start:]).strip()
    if not body:
        problem(closing + 1, "the article has no text after the front matter")
    for offset, line in enumerate(lines[body_start:], start=body_start + 1):
        for match in LINK.finditer(line):
            if not _is_web_url(match.group(2).strip()):
                problem(offset, f"link {match.group(0)!r}: the address must be http(s)://…")
        if found := DECREE_NUMBER.search(line):
            problem(offset, f"{found.group()!r}: say what the rule means; name it in 'source'")
    if "answer" in fields:
        _check_answer(*fields["answer"], problem)

    if problems or topic is None or language is None or valid_from is None or review_by is None:
        return None, sorted(problems, key=lambda found: found.line)
    return (
        Article(
            slug=path.stem,
            language=language,
            title=fields["title"][0],
            topic=topic,
            valid_from=valid_from,
            review_by=review_by,
            source=_split(fields["source"][0], "|"),
            reviewed_by=fields["reviewed_by"][0],
            keywords=_split(fields["keywords"][0], ","),
            local_check=fields["local_check"][0] if "local_check" in fields else None,
            body=body,
            path=path,
            answer=_split(fields["answer"][0], "|"),
        ),
        [],
    )


def _check_answer(value: str, line: int, problem: Callable[[int, str], None]) -> None:
    """The answer block: two or three short lines separated by '|', no decree number."""
    answer = _split(value, "|")
    low, high = ANSWER_LINES
    if not low <= len(answer) <= high:
        problem(line, f"answer has {len(answer)} line(s): write {low} to {high}, separated by '|'")
    for text in answer:
        if len(text) > ANSWER_LINE_CHARS:
            problem(line, f"answer line longer than {ANSWER_LINE_CHARS} characters: {text!r}")
    if found := DECREE_NUMBER.search(value):
        problem(line, f"answer names {found.group()!r}: say what the rule means instead")


def _check_choice(
    fields: dict[str, tuple[str, int]],
    key: str,
    allowed: tuple[str, ...],
    problem: Callable[[int, str], None],
) -> str | None:
    if key not in fields:
        return None
    value, line = fields[key]
    if value not in allowed:
        problem(line, f"{key} {value!r} is not one of: {', '.join(allowed)}")
        return None
    return value


def _check_date(
    fields: dict[str, tuple[str, int]], key: str, problem: Callable[[int, str], None]
) -> date | None:
    if key not in fields:
        return None
    value, line = fields[key]
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        problem(line, f"{key} {value!r} is not a date written YYYY-MM-DD")
        return None


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(ch.isspace() for ch in url)
    )


def _unquote(value: str) -> str:
    """``"Đi Hàn"`` and ``'Đi Hàn'`` mean ``Đi Hàn``, as an officer used to YAML expects."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _split(value: str, separator: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(separator) if item.strip())


def article_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every ``<root>/<language>/<slug>.md``, with its folder name, in a stable order.

    Hidden files (an editor's ``.#slug.md`` lock, for one) are not articles.
    """
    for path in sorted(root.glob("*/*.md")):
        if not path.name.startswith(".") and not path.parent.name.startswith("."):
            yield path, path.parent.name
