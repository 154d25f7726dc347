"""The diary's words, loaded once from ``lexicon.toml`` into lookup tables.

Every word is folded (``bot.language.folding.fold``) at load time, so matching a message is a
dictionary lookup on folded tokens.  Phrases of several words are found by their first
word and matched longest first.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from bot.language.folding import fold
from bot.language.numbers import HALF_BEFORE, NUMERAL_WORDS

DEFAULT_PATH = Path(__file__).with_name("lexicon.toml")

# The nine kinds of money (diary-language.md): only income and spending (expense, and a
# debt's interest) are earned or consumed; the rest only move money.
KINDS = (
    "income",
    "expense",
    "borrow",
    "repay",
    "interest",
    "lend",
    "collect",
    "save",
    "withdraw",
)
FARM_CATEGORIES = frozenset({"crop", "livestock", "aquaculture"})

V = TypeVar("V")


class CategoryInfo(NamedTuple):
    """One category: the entry kinds that may use it and its labels."""

    kinds: tuple[str, ...]
    vi: str
    en: str


@dataclass(frozen=True, slots=True)
class Term:
    """Everything the lexicon says about one (folded) word or phrase."""

    key: str
    kind: str | None = None  # a verb: which way the money went
    weak: str | None = None  # a weak sign of direction ("được", "hết")
    income: str | None = None  # category when the money came in
    expense: str | None = None  # category when it went out
    direction: str | None = None  # the word alone says which way (bills, wages)
    priority: int = 1
    item: bool = False  # a thing that is counted ("2 con heo")
    loan: str | None = None  # "debt" (nợ), "interest" (lãi) or "lender" (ngân hàng)
    needs_object: bool = False
    hired: bool = False  # "<work> thuê": work done for hire
    question: bool = False
    intent: bool = False
    separator: bool = False
    status: bool = False
    purpose: bool = False
    farm_input: bool = False
    remit: bool = False  # sending money; sent home when a relative sends it
    saving: bool = False  # where money is put aside (hụi, tiết kiệm, heo đất)

    @property
    def is_verb(self) -> bool:
        return self.kind is not None

    @property
    def has_category(self) -> bool:
        return self.income is not None or self.expense is not None or self.loan is not None

    @property
    def is_head(self) -> bool:
        """Whether the word can open an entry of its own (a verb or goods or a bill)."""
        return self.kind is not None or self.has_category or self.direction is not None

    @property
    def implied_direction(self) -> str | None:
        """Which way the money went, if the word alone says so.

        Either the lexicon says it (bills, wages), or the word has a category on one
        side only: goods that are only ever bought ("phân", "thịt", "quạt") were bought.
        """
        if self.direction is not None:
            return self.direction
        if self.expense is not None and self.income is None:
            return "expense"
        if self.income is not None and self.expense is None:
            return "income"
        return None

    @property
    def is_farm_item(self) -> bool:
        return self.item and self.income in FARM_CATEGORIES

    def category(self, kind: str) -> str | None:
        return self.income if kind == "income" else self.expense if kind == "expense" else None


class PhraseTable(Generic[V]):
    """Phrases of one or more folded words, matched longest first at a position."""

    __slots__ = ("_by_first", "_by_two", "_openers", "_single")

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], V]] = ()) -> None:
        by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for words, value in entries:
            by_first.setdefault(words[0], []).append((words, value))
        self._by_first = by_first
        # One word: one dictionary lookup.  Longer phrases are found by their first two
        # words, so a common first word ("trả", "tiền") does not try every phrase it opens.
        self._single = {
            first: (1, value)
            for first, options in by_first.items()
            for phrase, value in options
            if len(phrase) == 1
        }
        by_two: dict[tuple[str, str], list[tuple[tuple[str, ...], V]]] = {}
        for options in by_first.values():
            for phrase, value in options:
                if len(phrase) > 1:
                    by_two.setdefault((phrase[0], phrase[1]), []).append((phrase, value))
        for longer in by_two.values():
            longer.sort(key=lambda option: -len(option[0]))
        self._by_two = by_two
        self._openers = frozenset(first for first, _ in by_two)

    def match(self, words: Sequence[str], i: int) -> tuple[int, V] | None:
        """The longest phrase starting at ``words[i]``: (number of words, value)."""
        if i + 1 < len(words):
            longer = self._by_two.get((words[i], words[i + 1]))
            if longer is not None:
                n = len(words)
                for phrase, value in longer:
                    size = len(phrase)
                    if size == 2 or (i + size <= n and tuple(words[i : i + size]) == phrase):
                        return size, value
        return self._single.get(words[i])

    def opens_phrase(self, word: str) -> bool:
        """Whether a phrase of several words may start with ``word``."""
        return word in self._openers

    def first_words(self) -> frozenset[str]:
        return frozenset(self._by_first)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and any(
            len(phrase) == 1 for phrase, _ in self._by_first.get(word, ())
        )


def _words(text: str) -> tuple[str, ...]:
    """Fold a lexicon entry into its words; only letters are allowed."""
    words = tuple(fold(text).split())
    if not words or not all(word.isascii() and word.isalpha() for word in words):
        raise ValueError(f"lexicon: {text!r} must be letters only")
    return words


def _table(values: Mapping[str, V] | Iterable[str], default: V | None = None) -> PhraseTable[V]:
    if isinstance(values, Mapping):
        return PhraseTable((_words(k), v) for k, v in values.items())
    assert default is not None
    return PhraseTable((_words(k), default) for k in values)


def _clock(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


@dataclass(frozen=True, slots=True)
class DateWords:
    """Words of dates and times of day (see ``[dates]`` in the lexicon)."""

    relative: PhraseTable[int]
    period_relative: PhraseTable[int]
    periods: PhraseTable[time]
    period_lead: frozenset[str]
    past_night: frozenset[time]
    weekday_words: Mapping[str, int]
    weekday_lead: frozenset[str]
    sunday: PhraseTable[bool]
    previous_week: PhraseTable[bool]
    day_lead: frozenset[str]
    ago: frozenset[str]
    ago_units: Mapping[str, int]
    future: PhraseTable[bool]
    future_at_start: frozenset[str]
    vague: PhraseTable[bool]
    year_lead: frozenset[str]
    month_lead: frozenset[str]
    months_back: PhraseTable[int]
    month_names: PhraseTable[int]
    month_not_entry: frozenset[str]
    clock_words: frozenset[str]
    half: frozenset[str]
    # times and days ahead (bot/language/ahead.py)
    clock_lead: frozenset[str] = frozenset()
    clock_tail: frozenset[str] = frozenset()  # folded phrases
    after_noon: frozenset[str] = frozenset()
    before_noon: frozenset[str] = frozenset()
    when_filler: frozenset[str] = frozenset()
    months_ahead: Mapping[str, int] = field(default_factory=dict)
    ahead: frozenset[str] = frozenset()
    # a month asked for (bot/language/months.py)
    month_talk_lead: tuple[str, ...] = ()
    month_talk_tail: tuple[tuple[str, ...], ...] = ()
    this_month: frozenset[str] = frozenset()
    last_month: frozenset[str] = frozenset()  # folded phrases
    year_relative: Mapping[str, int] = field(default_factory=dict)
    starters: frozenset[str] = frozenset()  # every word a date can open with

    def __post_init__(self) -> None:
        starters = (
            self.relative.first_words()
            | self.periods.first_words()
            | self.sunday.first_words()
            | self.future.first_words()
            | self.vague.first_words()
            | self.period_lead
            | self.weekday_lead
            | self.day_lead
            | self.future_at_start
            | self.year_lead
            | self.month_lead
            | self.months_back.first_words()
        )
        object.__setattr__(self, "starters", starters)


@dataclass(frozen=True, slots=True)
class LoanWords:
    """Words of the other side of a loan and of its purpose (``[loans]`` in the lexicon)."""

    lenders: tuple[tuple[str, tuple[str, ...]], ...]  # name, its aliases (``_padded``)
    banks: frozenset[str]  # folded
    kin_spelled: frozenset[str]  # kin words as written with diacritics ("dì", not "đi")
    kin: frozenset[str]  # the same, folded
    not_names: frozenset[str]
    not_numbers: frozenset[str]
    people: tuple[tuple[str, ...], ...]
    purpose_lead: frozenset[str]
    purposes: tuple[tuple[str, tuple[str, ...]], ...]  # category, its phrases (``_padded``)

    @classmethod
    def from_dict(cls, loans: Mapping[str, Any], kin: Iterable[str]) -> LoanWords:
        left_out = {unicodedata.normalize("NFC", w) for w in loans.get("kin_not", ())}
        spelled = {unicodedata.normalize("NFC", w).lower() for w in kin} - left_out
        spelled |= {unicodedata.normalize("NFC", w) for w in loans.get("kin_also", ())}
        return cls(
            lenders=tuple(
                (name, tuple(_padded(alias) for alias in aliases))
                for name, *aliases in loans.get("lenders", ())
            ),
            banks=frozenset(fold(name) for name in loans.get("banks", ())),
            kin_spelled=frozenset(spelled),
            kin=frozenset(fold(word) for word in spelled),
            not_names=_word_set(loans.get("not_names", ())),
            not_numbers=_word_set(loans.get("not_numbers", ())),
            people=tuple(_words(who) for who in loans.get("people", ())),
            purpose_lead=_word_set(loans.get("purpose_lead", ())),
            purposes=tuple(
                (category, tuple(_padded(w) for w in words))
                for category, words in loans.get("purposes", {}).items()
            ),
        )


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All the words the reader knows.  Build one with :meth:`load`."""

    categories: Mapping[str, CategoryInfo]
    terms: PhraseTable[Term]
    units: PhraseTable[int]
    weak_units: PhraseTable[int]
    currency: PhraseTable[bool]
    foreign: PhraseTable[bool]
    count_units: PhraseTable[bool]
    labels: frozenset[str]
    self_words: frozenset[str]
    work_words: frozenset[str]
    persons: frozenset[str]
    kin: frozenset[str]
    names: frozenset[str]
    family: frozenset[str]
    question_final: frozenset[str]
    stop: frozenset[str]
    dates: DateWords
    loans: LoanWords
    pots: tuple[tuple[str, tuple[str, ...]], ...]  # pot, the words naming it (``_padded``)
    # folded word(s) → {the exact spelling → the term it reads as, None for a plain word}
    spelled: Mapping[str, Mapping[str, Term | None]] = field(default_factory=dict)
    source: str = field(default="", compare=False)
    number_starters: frozenset[str] = field(default=frozenset(), compare=False)
    spelled_first: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "spelled_first", frozenset(k.split()[0] for k in self.spelled))
        # words that may open a number: numerals, "nửa", a unit alone ("triệu rưỡi")
        starters = NUMERAL_WORDS | {HALF_BEFORE} | self.units.first_words()
        object.__setattr__(self, "number_starters", starters | self.weak_units.first_words())

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PATH) -> Lexicon:
        """Read a lexicon file; raises ``ValueError`` on a malformed or ambiguous entry."""
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "") -> Lexicon:
        categories = {
            code: CategoryInfo(tuple(info["kinds"]), str(info["vi"]), str(info["en"]))
            for code, info in data["categories"].items()
        }
        for code, info in categories.items():
            if not info.kinds or not set(info.kinds) <= set(KINDS):
                raise ValueError(f"lexicon: category {code} has bad kinds {info.kinds}")
        builder = _TermBuilder(categories)
        verbs = data["verbs"]
        for kind in KINDS:
            builder.add(verbs.get(kind, ()), kind=kind)
        builder.add(verbs.get("weak_income", ()), weak="income")
        builder.add(verbs.get("weak_expense", ()), weak="expense")
        builder.add(verbs.get("needs_object", ()), needs_object=True)
        builder.add(verbs.get("hired_suffix", ()), hired=True)
        markers = data["markers"]
        names = ("question", "intent", "separator", "status", "purpose", "farm_input", "remit")
        for name in (*names, "saving"):
            plural = _PLURALS.get(name, name)
            builder.add(markers.get(plural, ()), **{name: True})
        builder.add(markers.get("neutral", ()))
        for group in data.get("words", ()):
            options = {k: v for k, v in group.items() if k != "words"}
            builder.add(group["words"], **options)
        amounts = data["amounts"]
        dates = data["dates"]
        terms = builder.items()
        return cls(
            categories=categories,
            terms=PhraseTable(terms),
            units=_table({k: int(v) for k, v in data["units"].items()}),
            weak_units=_table({k: int(v) for k, v in amounts["weak_units"].items()}),
            currency=_table(amounts["currency"], True),
            foreign=_table(amounts["foreign"], True),
            count_units=_table(amounts["count_units"], True),
            labels=_word_set(amounts["labels"]),
            self_words=_word_set(verbs.get("self_words", ())),
            work_words=_word_set(verbs.get("work", ())),
            persons=_word_set(markers.get("persons", ())),
            kin=_word_set(markers.get("kin", ())),
            names=_word_set(markers.get("names", ())),
            family=_word_set(markers.get("family", ())),
            question_final=_word_set(markers["question_final"]),
            stop=_word_set(markers["stop"]),
            dates=DateWords(
                relative=_table({k: int(v) for k, v in dates["relative"].items()}),
                period_relative=_table({k: int(v) for k, v in dates["period_relative"].items()}),
                periods=_table({k: _clock(v) for k, v in dates["periods"].items()}),
                period_lead=_word_set(dates["period_lead"]),
                past_night=frozenset(_clock(dates["periods"][w]) for w in dates["past_night"]),
                weekday_words={fold(k): int(v) for k, v in dates["weekday_words"].items()},
                weekday_lead=_word_set(dates["weekday_lead"]),
                sunday=_table(dates["sunday"], True),
                previous_week=_table(dates["previous_week"], True),
                day_lead=_word_set(dates["day_lead"]),
                ago=_word_set(dates["ago"]),
                ago_units={fold(k): int(v) for k, v in dates["ago_units"].items()},
                future=_table(dates["future"], True),
                future_at_start=_word_set(dates["future_at_start"]),
                vague=_table(dates["vague"], True),
                year_lead=_word_set(dates["year_lead"]),
                month_lead=_word_set(dates["month_lead"]),
                months_back=_table({k: int(v) for k, v in dates["months_back"].items()}),
                month_names=_table({k: int(v) for k, v in dates["month_names"].items()}),
                month_not_entry=_word_set(dates["month_not_entry"]),
                clock_words=_word_set(dates["clock_words"]),
                half=_word_set(dates["half"]),
                clock_lead=_word_set(dates.get("clock_lead", ())),
                clock_tail=_word_set(dates.get("clock_tail", ())),
                after_noon=_word_set(dates.get("after_noon", ())),
                before_noon=_word_set(dates.get("before_noon", ())),
                when_filler=_word_set(dates.get("when_filler", ())),
                months_ahead={fold(k): int(v) for k, v in dates.get("months_ahead", {}).items()},
                ahead=_word_set(dates.get("ahead", ())),
                month_talk_lead=tuple(fold(w) for w in dates.get("month_talk_lead", ())),
                month_talk_tail=tuple(_words(w) for w in dates.get("month_talk_tail", ())),
                this_month=_word_set(dates.get("this_month", ())),
                last_month=_word_set(dates.get("last_month", ())),
                year_relative={fold(k): int(v) for k, v in dates.get("year_relative", {}).items()},
            ),
            loans=LoanWords.from_dict(data.get("loans", {}), markers.get("kin", ())),
            pots=tuple(
                (pot, tuple(_padded(w) for w in words))
                for pot, words in data.get("pots", {}).items()
            ),
            spelled=_spelled(data.get("spelled", {}), dict(terms)),
            source=source,
        )


_PLURALS = {"separator": "separators", "farm_input": "farm_inputs", "saving": "savings"}


def _spelled(
    table: Mapping[str, str], terms: Mapping[tuple[str, ...], Term]
) -> dict[str, dict[str, Term | None]]:
    """``[spelled]``: an exact spelling read as another word's term (or as a plain word)."""
    spelled: dict[str, dict[str, Term | None]] = {}
    for exact, target in table.items():
        key = _words(exact)
        term: Term | None = None
        if target:
            found = terms.get(_words(target))
            if found is None:
                raise ValueError(f"lexicon: [spelled] {exact!r} reads as unknown {target!r}")
            term = replace(found, key=" ".join(key))
        spelling = " ".join(unicodedata.normalize("NFC", exact).lower().split())
        spelled.setdefault(" ".join(key), {})[spelling] = term
    return spelled


def _padded(text: str) -> str:
    """A phrase folded, with a space either side: found in ``padded(words)`` as whole words."""
    return f" {' '.join(_words(text))} "


def padded(words: Iterable[str]) -> str:
    """A message's folded words, spaced so that ``_padded`` phrases match whole words."""
    return f" {' '.join(words)} "


def _word_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(_words(w)) for w in words)


_TERM_FIELDS = frozenset(f.name for f in fields(Term)) - {"key"}


class _TermBuilder:
    """Merges what the lexicon's sections say about each word, refusing contradictions."""

    def __init__(self, categories: Mapping[str, CategoryInfo]) -> None:
        self._categories = categories
        self._terms: dict[tuple[str, ...], Term] = {}

    def add(self, words: Iterable[str], **options: Any) -> None:
        unknown = set(options) - _TERM_FIELDS
        if unknown:
            raise ValueError(f"lexicon: unknown field(s) {sorted(unknown)}")
        for side in ("income", "expense"):
            code = options.get(side)
            if code is not None and code not in self._categories:
                raise ValueError(f"lexicon: unknown category {code!r}")
        for text in words:
            key = _words(text)
            term = self._terms.get(key, Term(" ".join(key)))
            for name, value in options.items():
                current = getattr(term, name)
                default = getattr(Term(""), name)
                if current != default and current != value:
                    raise ValueError(
                        f"lexicon: {text!r} (folded {term.key!r}) has two values for "
                        f"{name}: {current!r} and {value!r}"
                    )
            self._terms[key] = replace(term, **options)

    def items(self) -> list[tuple[tuple[str, ...], Term]]:
        return list(self._terms.items())


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with the package, loaded once."""
    return Lexicon.load(DEFAULT_PATH)
