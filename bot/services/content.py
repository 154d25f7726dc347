"""Information articles households can trust: load, validate, search and render them.

Articles live under ``content/<language>/<slug>.md``: a front matter block of simple
``key: value`` lines between two ``---`` lines, then a short Markdown body.  Officers
edit these files; :class:`ContentLibrary` notices a changed file by its modification
time (looked at no more often than every ``refresh_interval`` seconds) and serves the
new text without a restart.  A file that no longer parses keeps its last good version
in the library; :func:`check` names the file and line of every mistake.

Pure: files in, values out.  No database, no chat, no network.
"""

from __future__ import annotations

import difflib
import itertools
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from bot.textutil import READING_LINES, fold, shown_lines, split_message

logger = logging.getLogger(__name__)

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
FOOTER_LABELS: dict[str, tuple[str, str]] = {
    "vi": ("Nguồn", "Cập nhật"),
    "en": ("Source", "Updated"),
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
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
_BULLET = re.compile(r"^[ \t]*[-*][ \t]+", re.MULTILINE)
_WORD = re.compile(r"[a-z0-9]+")
# "07/2021/NĐ-CP", "16/2023/QĐ-TTg", "69/2020/QH14": a household reads what the rule says,
# not its number; numbers belong in the article's ``source``.
DECREE_NUMBER = re.compile(r"\b\d{1,3}/\d{4}/(?:NĐ|ND|QĐ|QD|TT|QH)[\w-]*", re.IGNORECASE)
# The answer shown first: two or three short lines (cost, who can, where to go, phone).
ANSWER_LINES = (2, 3)
ANSWER_LINE_CHARS = 160

# Search weights: a curated keyword counts most, then the title, then the body.
_KEYWORD_WEIGHT = 3.0
_TITLE_WEIGHT = 2.5
_BODY_WEIGHT = 0.6
# One word out of a longer keyword or the title says less than the whole phrase.
_PART_WEIGHT = 1.2
_BIGRAM_BOOST = 2.0
# A hit is "confident" when it scores at least this much and clearly beats the runner-up.
CONFIDENT_SCORE = 5.0
CONFIDENT_MARGIN = 1.3

# Folded words that carry no topic on their own (amount words included, so a diary line
# such as "bán heo 3 triệu" finds nothing).  They still count inside a bigram with a real
# word, so "bảo hiểm" is found although "bao" ("bao nhiêu") is dropped.
_VI_STOP_WORDS = """
    a ah ai anh ban bao bi cac cai chi cho co con cua da dang day de den do dong duoc em gi
    ha hay hoi k khi khong la len luc ma minh mot muoi muon nao nay neu ngan nghin nhe nhieu
    nhu nhung o oi phai ra roi ruoi sao se tai the thi toi tr tram trieu tu va ve voi xin
"""
_EN_STOP_WORDS = """
    a about am an and are as at be can could do does for from get got has have how i if in
    is it me much my of on or should so that the there this to was what when where which
    who why will with you your
"""
_STOP_WORDS: dict[str, frozenset[str]] = {
    "vi": frozenset(_VI_STOP_WORDS.split()),
    "en": frozenset(_EN_STOP_WORDS.split()),
}


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
class SearchHit:
    article: Article
    score: float
    confident: bool


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in a content file; ``line`` is 0 when it concerns the whole file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


# --------------------------------------------------------------------------- parsing


def _parse(path: Path, folder_language: str) -> tuple[Article | None, list[Problem]]:
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
        for match in _LINK.finditer(line):
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


def _article_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every ``<root>/<language>/<slug>.md``, with its folder name, in a stable order.

    Hidden files (an editor's ``.#slug.md`` lock, for one) are not articles.
    """
    for path in sorted(root.glob("*/*.md")):
        if not path.name.startswith(".") and not path.parent.name.startswith("."):
            yield path, path.parent.name


# ---------------------------------------------------------------------------- search


def _terms(text: str, stop_words: frozenset[str]) -> tuple[set[str], set[str]]:
    """Folded words and adjacent-word bigrams of ``text``.

    Stop words and bare numbers (amounts, mostly) are not terms of their own.  A bigram
    needs a real word in it ("cấp 3"), or two numbers ("1800 1233"), so that neither
    "bao nhiêu" nor "000 đồng" counts.
    """
    words = _WORD.findall(fold(text))

    def real(word: str) -> bool:
        return word not in stop_words and not word.isdigit()

    singles = {word for word in words if real(word)}
    pairs = {
        f"{first} {second}"
        for first, second in itertools.pairwise(words)
        if real(first) or real(second) or (first.isdigit() and second.isdigit())
    }
    return singles, pairs


@dataclass(frozen=True, slots=True)
class _Indexed:
    article: Article
    weights: dict[str, float]


class _Index:
    """The articles one language sees, with their folded terms weighted by field."""

    def __init__(self, articles: Iterable[Article], language: str) -> None:
        self.stop_words = _STOP_WORDS[language]
        self.entries: list[_Indexed] = []
        document_frequency: dict[str, float] = {}
        for article in articles:
            weights: dict[str, float] = {}
            fields = (
                (_BODY_WEIGHT, [_strip_markdown(article.body)]),
                (_TITLE_WEIGHT, [article.title]),
                (_KEYWORD_WEIGHT, list(article.keywords)),
            )
            for weight, texts in fields:
                for text in texts:
                    singles, pairs = _terms(text, self.stop_words)
                    whole = len(singles) == 1 and not pairs  # a one-word keyword: "EPS"
                    single_weight = weight if whole else min(weight, _PART_WEIGHT)
                    for term in singles:
                        weights[term] = max(single_weight, weights.get(term, 0.0))
                    for term in pairs:
                        weights[term] = max(weight, weights.get(term, 0.0))
            self.entries.append(_Indexed(article, weights))
            for term, weight in weights.items():
                # A passing mention in a body counts as a fraction of a document, so a
                # word that one article is about stays distinctive however often others
                # mention it ("EPS", "1800 1233").
                share = weight / _KEYWORD_WEIGHT
                document_frequency[term] = document_frequency.get(term, 0.0) + share
        count = len(self.entries)
        self.idf = {term: math.log((count + 1) / df) for term, df in document_frequency.items()}

    def search(self, query: str, limit: int) -> list[SearchHit]:
        singles, pairs = _terms(query, self.stop_words)
        terms = (singles | pairs) & self.idf.keys()
        scored: list[tuple[float, bool, Article]] = []
        for entry in self.entries:
            matched = [term for term in terms if term in entry.weights]
            score = sum(
                self.idf[term] * entry.weights[term] * (_BIGRAM_BOOST if " " in term else 1.0)
                for term in matched
            )
            on_topic = any(entry.weights[term] >= _TITLE_WEIGHT for term in matched)
            if score > 0:
                scored.append((score, on_topic, entry.article))
        scored.sort(key=lambda hit: (-hit[0], hit[2].slug))
        if not scored:
            return []
        best, best_on_topic, _ = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        # Confident: the winner matched a phrase of its title or keywords, scored enough
        # and clearly beat the next article; otherwise the caller offers the nearest ones.
        confident = (
            best_on_topic and best >= CONFIDENT_SCORE and best >= CONFIDENT_MARGIN * runner_up
        )
        return [
            SearchHit(article, round(score, 3), confident and rank == 0)
            for rank, (score, _, article) in enumerate(scored[:limit])
        ]


# --------------------------------------------------------------------------- library


@dataclass(slots=True)
class _Loaded:
    signature: tuple[int, int]  # (mtime_ns, size) when last read
    article: Article | None  # the last good version, if any


class ContentLibrary:
    """All articles under ``root``, re-read when a file changes on disk."""

    def __init__(
        self,
        root: Path,
        *,
        refresh_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not root.is_dir():
            raise FileNotFoundError(f"content folder not found: {root}")
        self.root = root
        self._refresh_interval = refresh_interval
        self._clock = clock
        self._files: dict[Path, _Loaded] = {}
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()  # the chat loop and a scheduler thread may both ask
        self._last_scan = clock()
        self._rescan()

    # -- public API

    def topics(self, language: str) -> list[Topic]:
        """Topics with at least one article, in the programme's order."""
        index = self._index(language)
        present = {entry.article.topic for entry in index.entries}
        return [Topic(code, TOPIC_LABELS[language][code]) for code in TOPICS if code in present]

    def articles(self, topic: str, language: str) -> list[Article]:
        """Articles of ``topic`` for a reader of ``language``, by title."""
        index = self._index(language)
        found = [entry.article for entry in index.entries if entry.article.topic == topic]
        return sorted(found, key=lambda article: fold(article.title))

    def get(self, slug: str, language: str) -> Article | None:
        """The article in ``language``, else its Vietnamese original, else ``None``."""
        index = self._index(language)
        return next((e.article for e in index.entries if e.article.slug == slug), None)

    def search(self, query: str, language: str, *, limit: int = 3) -> list[SearchHit]:
        """Best articles for a free question, best first; diacritics are optional."""
        return self._index(language).search(query, limit)

    def all_articles(self) -> list[Article]:
        """Every loaded article file (both languages), by path."""
        self._refresh_if_due()
        with self._lock:
            files = sorted(self._files.items())
        return [loaded.article for _, loaded in files if loaded.article is not None]

    # -- loading

    def _index(self, language: str) -> _Index:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
        self._refresh_if_due()
        return self._indexes[language]

    def _refresh_if_due(self) -> None:
        if self._clock() - self._last_scan >= self._refresh_interval:
            with self._lock:
                if self._clock() - self._last_scan >= self._refresh_interval:
                    self._rescan()

    def _rescan(self) -> None:
        """Re-read new and changed files, forget deleted ones; called under the lock."""
        self._last_scan = self._clock()
        changed = False
        seen: set[Path] = set()
        for path, folder in _article_files(self.root):
            if folder not in LANGUAGES:
                continue
            seen.add(path)
            try:
                stat = path.stat()
            except FileNotFoundError:  # deleted between listing and stat
                continue
            signature = (stat.st_mtime_ns, stat.st_size)
            loaded = self._files.get(path)
            if loaded is not None and loaded.signature == signature:
                continue
            article, problems = _parse(path, folder)
            for found in problems:
                logger.warning("content problem, keeping the last good version: %s", found)
            previous = loaded.article if loaded is not None else None
            self._files[path] = _Loaded(signature, article or previous)
            changed = True
        for gone in self._files.keys() - seen:
            del self._files[gone]
            changed = True
        if changed or not self._indexes:
            self._rebuild()

    def _rebuild(self) -> None:
        by_language: dict[str, dict[str, Article]] = {language: {} for language in LANGUAGES}
        for loaded in self._files.values():
            if loaded.article is not None:
                by_language[loaded.article.language][loaded.article.slug] = loaded.article
        originals = by_language[SOURCE_LANGUAGE]
        self._indexes = {
            language: _Index(
                sorted(
                    ({**originals, **by_language[language]}).values(),
                    key=lambda article: article.slug,
                ),
                language,
            )
            for language in LANGUAGES
        }


# ---------------------------------------------------------------------------- output


def _strip_markdown(body: str) -> str:
    """Plain chat text: links become "text (address)", list dashes become bullets.

    A link whose text is its own address ("[dolab.gov.vn](https://dolab.gov.vn)") keeps
    just the text; chat apps turn a bare domain into a link themselves.
    """

    def plain_link(match: re.Match[str]) -> str:
        text, url = match.group(1).strip(), match.group(2).strip()
        address = url.split("://", 1)[-1].rstrip("/")
        return text if text.rstrip("/") in (url, address) else f"{text} ({url})"

    return _BULLET.sub("• ", _LINK.sub(plain_link, body))


def render_answer(article: Article) -> str:
    """The title and the answer lines: what a household reads first."""
    return "\n".join([article.title, *article.answer])


def render(article: Article, limit: int, *, lines: int = READING_LINES) -> list[str]:
    """The whole article as chat messages of at most ``limit`` characters and ``lines``
    lines each, split between paragraphs, else at sentences or line breaks."""
    source_label, updated_label = FOOTER_LABELS[article.language]
    footer = (
        f"{source_label}: {'; '.join(article.source)} · "
        f"{updated_label}: {article.valid_from:%d/%m/%Y}"
    )
    text = f"{article.title}\n\n{_strip_markdown(article.body)}\n\n{footer}"
    pieces = [
        piece
        for paragraph in text.split("\n\n")
        for chunk in _line_chunks(paragraph.strip(), lines)
        for piece in split_message(chunk, limit)
    ]
    messages: list[str] = []
    for piece in pieces:
        joined = f"{messages[-1]}\n\n{piece}" if messages else piece
        if messages and len(joined) <= limit and shown_lines(joined) <= lines:
            messages[-1] = joined
        else:
            messages.append(piece)
    return messages


def _line_chunks(paragraph: str, lines: int) -> list[str]:
    rows = paragraph.splitlines()
    return ["\n".join(rows[i : i + lines]) for i in range(0, len(rows), lines)] or [""]


# ------------------------------------------------------------------------ validation


def check(root: Path) -> list[Problem]:
    """Every mistake in the content under ``root``, by file and line."""
    if not root.is_dir():
        return [Problem(root, 0, "content folder not found")]
    problems: list[Problem] = []
    slugs: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        if directory.name not in LANGUAGES and any(directory.glob("*.md")):
            problems.append(
                Problem(directory, 0, f"folder {directory.name!r} is not a language: {LANGUAGES}")
            )
    for path, folder in _article_files(root):
        if folder not in LANGUAGES:
            continue
        slugs[folder].add(path.stem)
        problems.extend(_parse(path, folder)[1])
    translations = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
    for language in translations:
        for slug in sorted(slugs[SOURCE_LANGUAGE] - slugs[language]):
            problems.append(
                Problem(
                    root / language / f"{slug}.md",
                    0,
                    f"translation of {SOURCE_LANGUAGE}/{slug}.md missing",
                )
            )
        for slug in sorted(slugs[language] - slugs[SOURCE_LANGUAGE]):
            problems.append(
                Problem(
                    root / language / f"{slug}.md",
                    0,
                    f"no {SOURCE_LANGUAGE} original {SOURCE_LANGUAGE}/{slug}.md",
                )
            )
    return problems


def overdue(root_or_library: Path | ContentLibrary, today: date) -> list[Article]:
    """Article files whose ``review_by`` date has passed, oldest first."""
    library = (
        root_or_library
        if isinstance(root_or_library, ContentLibrary)
        else ContentLibrary(root_or_library)
    )
    late = [article for article in library.all_articles() if article.review_by < today]
    return sorted(late, key=lambda article: (article.review_by, str(article.path)))


SHIPPED_CONTENT = Path(__file__).resolve().parents[2] / "content"


def content_root(configured: str) -> Path:
    """The configured content folder, or the one shipped with the bot when none is set."""
    return Path(configured) if configured else SHIPPED_CONTENT
