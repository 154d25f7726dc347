"""The activity catalogue: livelihood activities as data, and finding them in a diary line.

Words are matched on whole words, longest phrase first, with or without diacritics; a
word written with diacritics must match them exactly ("bỏ heo đất" does not say "bò").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.language.folding import fold

DEFAULT_PATH = Path(__file__).with_name("activities.toml")
# Only these kinds earn or spend (diary-language.md); the others move money and belong
# to no activity's profit.
COUNTED_KINDS = frozenset({"income", "expense", "interest"})

_WORD = re.compile(r"\w+")


class CatalogueError(ValueError):
    """The catalogue file is wrong; the message says where."""


@dataclass(frozen=True, slots=True)
class Activity:
    code: str
    vi: str
    en: str
    categories: frozenset[str]  # entries here belong when their words name the activity
    whole: frozenset[str]  # entries here belong whatever their words

    def name(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.vi

    def fits(self, category: str) -> bool:
        return category in self.categories or category in self.whole


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]  # lower case, NFC, as written in the catalogue
    folded: tuple[str, ...]
    codes: frozenset[str]


def _tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text.lower()))


def _same(token: str, word: str, folded: str) -> bool:
    """``token`` of a message is ``word``: equal once folded, and equal as written when
    the message wrote it with diacritics."""
    token_folded = fold(token)
    return token_folded == folded and token in (token_folded, word)


class Catalogue:
    def __init__(self, activities: list[Activity], phrases: dict[tuple[str, ...], set[str]]):
        self.activities = tuple(activities)
        self._by_code = {activity.code: activity for activity in activities}
        index: dict[str, list[_Phrase]] = defaultdict(list)
        for words, codes in phrases.items():
            folded = tuple(fold(word) for word in words)
            index[folded[0]].append(_Phrase(words, folded, frozenset(codes)))
        for candidates in index.values():
            candidates.sort(key=lambda phrase: -len(phrase.words))
        self._index = dict(index)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Activity:
        return self._by_code[code]

    def find(self, text: str) -> Activity | None:
        """An activity by its code or its name, in either language, with or without
        diacritics ("nuoi_heo", "Nuôi heo", "nuoi heo", "pigs"), or by the words that
        name exactly one activity ("heo", "gà vịt")."""
        wanted = " ".join(_tokens(fold(text).replace("_", " ")))
        for activity in self.activities:
            names = (activity.code.replace("_", " "), activity.vi, activity.en)
            if wanted in {" ".join(_tokens(fold(name))) for name in names}:
                return activity
        named = self.named_in(text)
        return self.get(next(iter(named))) if len(named) == 1 else None

    def named_in(self, text: str) -> frozenset[str]:
        """The codes of the activities whose words ``text`` says."""
        tokens = _tokens(text)
        found: set[str] = set()
        at = 0
        while at < len(tokens):
            phrase = self._phrase_at(tokens, at)
            if phrase is None:
                at += 1
                continue
            found |= phrase.codes
            at += len(phrase.words)
        return frozenset(found)

    def _phrase_at(self, tokens: list[str], at: int) -> _Phrase | None:
        """The longest phrase at ``tokens[at]``; phrases of that length that all match
        (unaccented "cam" is both cám, feed, and cam, oranges) pool their activities."""
        found: _Phrase | None = None
        for phrase in self._index.get(fold(tokens[at]), ()):
            if found is not None and len(phrase.words) < len(found.words):
                break
            span = tokens[at : at + len(phrase.words)]
            if len(span) == len(phrase.words) and all(
                _same(token, word, folded)
                for token, word, folded in zip(span, phrase.words, phrase.folded, strict=True)
            ):
                found = (
                    phrase
                    if found is None
                    else _Phrase(found.words, found.folded, found.codes | phrase.codes)
                )
        return found


def load(path: Path = DEFAULT_PATH) -> Catalogue:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    activities: list[Activity] = []
    phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for number, item in enumerate(data.get("activity", []), start=1):
        code = str(item.get("code", ""))
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", code):
            raise CatalogueError(f"{path}: activity {number}: code {code!r} is not a-z, 0-9, _")
        if code in {activity.code for activity in activities}:
            raise CatalogueError(f"{path}: activity {code!r} is listed twice")
        activities.append(
            Activity(
                code=code,
                vi=str(item.get("vi") or code),
                en=str(item.get("en") or item.get("vi") or code),
                categories=frozenset(item.get("categories", [])),
                whole=frozenset(item.get("whole", [])),
            )
        )
        for word in item.get("words", []):
            words = tuple(_tokens(str(word)))
            if words:
                phrases[words].add(code)
    return Catalogue(activities, phrases)


@cache
def default() -> Catalogue:
    """The catalogue shipped with the bot, read once."""
    return load()


def fitting(
    catalogue: Catalogue,
    followed: list[str],
    *,
    kind: str,
    category: str,
    text: str,
    loan_activity: str | None = None,
) -> list[str]:
    """The household's activities a diary entry may belong to, in the household's order: one
    is its tag, several are asked about, none leaves it untagged.

    In order: activities the entry's words name; an activity whose whole category it is
    (every wage is hired work); the activity of the loan whose purpose the money serves;
    and, when its words name no activity at all, every followed activity its category
    fits ("chi sản xuất 500k" for a household that only raises pigs).  Interest belongs
    to the activity its loan was for, and nothing else.
    """
    if kind not in COUNTED_KINDS:
        return []
    own = [catalogue.get(code) for code in followed if code in catalogue]
    if kind == "interest":
        return [code for code in followed if code == loan_activity]
    fit = [activity for activity in own if activity.fits(category)]
    named = catalogue.named_in(text)
    by_words = [a.code for a in fit if a.code in named and category in a.categories]
    if by_words:
        return by_words
    whole = [a.code for a in fit if category in a.whole]
    if whole:
        return whole
    if loan_activity is not None and loan_activity in {a.code for a in fit}:
        return [loan_activity]
    if named:
        return []  # it names an activity the household does not follow
    return [a.code for a in fit]
