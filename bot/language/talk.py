"""Reading talk that is not a diary line: what a short answer means, small talk, people
in trouble, requests for help and questions.  The words are data (``talk.toml``).

Words are compared one by one.  A word typed with diacritics must carry the same ones
(wherever the tone mark sits: "huỷ" = "hủy"); a word typed without any matches a word
of the data stripped of them ("huy"), except the few one-word phrases that mean too
many things without them.  Pure: text in, values out.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.language.folding import fold
from bot.language.numbers import read_numeral

DATA = Path(__file__).with_name("talk.toml")
# The five Vietnamese tones as combining marks; vowel shapes (â, ă, ơ …) are not tones.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LAUGH = re.compile(r"^(?:(?:h[aeiìj])+h?|k{2,}|(?:ka)+|(?:hô)+|=+\)+|:+\)+)$")
DIRECTIONS = ("income", "expense", "borrow", "repay")


def _key(word: str) -> str:
    """One word with its tone mark moved to the end, so accent placement is ignored."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    shape = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return shape + tones


def words_of(text: str) -> list[str]:
    return [unicodedata.normalize("NFC", w) for w in _WORD.findall(text.lower())]


@dataclass(frozen=True, slots=True)
class Typed:
    """A message's words, with the forms phrases are compared on, computed once."""

    words: tuple[str, ...]
    plain: tuple[str, ...]  # folded
    keys: tuple[str, ...]  # _key forms
    bare: tuple[bool, ...]  # typed without diacritics

    @classmethod
    def of(cls, words: Sequence[str]) -> Typed:
        plain = tuple(fold(w) for w in words)
        return cls(
            tuple(words),
            plain,
            tuple(_key(w) for w in words),
            tuple(w == p for w, p in zip(words, plain, strict=True)),
        )

    def __len__(self) -> int:
        return len(self.words)

    def part(self, start: int, end: int | None = None) -> Typed:
        return Typed(
            self.words[start:end], self.plain[start:end], self.keys[start:end], self.bare[start:end]
        )


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    words: tuple[str, ...]  # as _key forms
    plain: tuple[str, ...]  # folded
    accented_only: bool

    def matches_at(self, typed: Typed, start: int) -> bool:
        size = len(self.words)
        if start + size > len(typed) or typed.plain[start] != self.plain[0]:
            return False
        for offset in range(size):
            i = start + offset
            if typed.bare[i]:
                if self.accented_only or typed.plain[i] != self.plain[offset]:
                    return False
            elif typed.keys[i] != self.words[offset]:
                return False
        return True

    def equals(self, typed: Typed) -> bool:
        return len(typed) == len(self.words) and self.matches_at(typed, 0)

    def find(self, typed: Typed) -> list[int]:
        return [i for i in range(len(typed)) if self.matches_at(typed, i)]


def _phrase(text: str, accented_only: frozenset[str]) -> Phrase:
    words = words_of(text)
    return Phrase(
        text=text,
        words=tuple(_key(w) for w in words),
        plain=tuple(fold(w) for w in words),
        accented_only=len(words) == 1 and text in accented_only,
    )


@dataclass(frozen=True, slots=True)
class Distress:
    """A message from someone in trouble: what kind, the words that said it, and the
    free national hotlines that fit."""

    kind: str
    phrase: str
    hotlines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Trouble:
    kind: str
    hotlines: tuple[str, ...]
    phrases: tuple[Phrase, ...]


class Talk:
    """The data of ``talk.toml``, compiled once."""

    def __init__(self, data: dict[str, object]) -> None:
        accented = frozenset(_strings(data, "accented_only"))
        self._accented = accented

        def phrases(items: Iterable[str]) -> tuple[Phrase, ...]:
            # Longest first, so "không đi được" wins over "không".
            compiled = (_phrase(t, accented) for t in items)
            return tuple(sorted((p for p in compiled if p.words), key=lambda p: -len(p.words)))

        self.fillers = phrases(_strings(data, "fillers"))
        self._one_word_fillers = tuple(f for f in self.fillers if len(f.words) == 1)
        self.negations = phrases(_strings(data, "negations"))
        meanings = _table(data, "meanings")
        self.meanings = {name: phrases(_list(words)) for name, words in meanings.items()}
        small = _table(data, "small_talk")
        self.small_talk = {name: phrases(_list(words)) for name, words in small.items()}
        distress = _table(data, "distress")
        self.not_about = phrases(_list(distress.pop("not_about")))
        self.troubles = tuple(
            _Trouble(
                kind,
                tuple(_list(_table(distress, kind)["hotlines"])),
                phrases(_list(_table(distress, kind)["words"])),
            )
            for kind in distress
        )
        self.help = phrases(_list(_table(data, "help")["words"]))
        self.questions = phrases(_list(_table(data, "questions")["words"]))

    def phrases(self, items: Iterable[str]) -> tuple[Phrase, ...]:
        return tuple(_phrase(t, self._accented) for t in items)

    # --- short answers ---------------------------------------------------------------

    def _without_fillers(self, typed: Typed) -> Typed:
        kept = [
            w
            for i, w in enumerate(typed.words)
            if not any(f.matches_at(typed, i) for f in self._one_word_fillers)
        ]
        return Typed.of(kept) if kept else typed

    def meanings_of(self, text: str) -> frozenset[str]:
        """What a short answer means ("dạ có" → yes, "bận rồi" → no, "tắt" → off);
        several meanings when the words allow several, none when it is not one."""
        typed = self._without_fillers(Typed.of(words_of(text)))
        return self._meanings(typed)

    def _meanings(self, typed: Typed) -> frozenset[str]:
        found = frozenset(
            name for name, phrases in self.meanings.items() if any(p.equals(typed) for p in phrases)
        )
        if found or len(typed) < 2:
            return found
        # "không đồng ý", "ko đi được": a negated yes is a no.
        negated = any(n.equals(typed.part(0, 1)) for n in self.negations)
        if negated and "yes" in self._meanings(typed.part(1)):
            return frozenset({"no"})
        return frozenset()

    def same_words(self, text: str, label: str) -> bool:
        """True when ``text`` is ``label`` typed again, with or without diacritics and
        with polite words around it ("dạ huy ạ" for "Huỷ")."""
        label_phrase = _phrase(label, frozenset())
        typed = Typed.of(words_of(text))
        return bool(label_phrase.words) and (
            label_phrase.equals(typed) or label_phrase.equals(self._without_fillers(typed))
        )

    # --- small talk ------------------------------------------------------------------

    def small_talk_of(self, text: str) -> str | None:
        """The kind of small talk a message is (thanks, greeting, bye, feeling, laugh,
        ack, emoji), or ``None`` when it says something else."""
        typed = Typed.of(words_of(text))
        if not typed:
            return "emoji" if text.strip() else None
        kinds: list[str] = []
        i = 0
        while i < len(typed):
            step = self._small_step(typed, i, kinds)
            if step == 0:
                return None
            i += step
        order = list(self.small_talk)
        return min(kinds, key=order.index) if kinds else "ack"

    def _small_step(self, typed: Typed, i: int, kinds: list[str]) -> int:
        for kind, phrases in self.small_talk.items():
            for phrase in phrases:
                if phrase.matches_at(typed, i):
                    kinds.append(kind)
                    return len(phrase.words)
        if _LAUGH.match(typed.words[i]):
            kinds.append("laugh")
            return 1
        if any(f.matches_at(typed, i) for f in self.fillers):
            return 1
        return 0

    # --- people in trouble, help, questions --------------------------------------------

    def distress_of(self, text: str, extra: Sequence[str] = ()) -> Distress | None:
        """The first kind of trouble a message speaks of, unless the words are about a
        crop, an animal or a tax ("cứu cây lúa", "heo bệnh nặng", "bị đánh thuế")."""
        typed = Typed.of(words_of(text))
        troubles = self.troubles
        if extra:
            troubles += (_Trouble("danger", ("113", "115"), self.phrases(extra)),)
        for trouble in troubles:
            for phrase in trouble.phrases:
                for start in phrase.find(typed):
                    if not self._about_something_else(typed, start, start + len(phrase.words)):
                        return Distress(trouble.kind, phrase.text, trouble.hotlines)
        return None

    def _about_something_else(self, typed: Typed, start: int, end: int) -> bool:
        for phrase in self.not_about:
            size = len(phrase.words)
            before = range(max(0, start - 2 - size + 1), start - size + 1)
            if any(phrase.matches_at(typed, i) for i in before) or phrase.matches_at(typed, end):
                return True
        return False

    def count_in(self, text: str, units: Sequence[str] = ("nguoi", "khau", "nhan")) -> int | None:
        """The one count a message gives: "5", "nhà có 5 người", "năm người"; ``None``
        when there is none or more than one.  A numeral word alone counts only before
        a unit or as the whole message ("ba" is also "father")."""
        folded = [fold(w) for w in words_of(text)]
        numeric = [w.isdigit() for w in folded]
        found: list[int] = []
        i = 0
        while i < len(folded):
            if numeric[i]:
                found.append(int(folded[i]))
                i += 1
                continue
            numeral = read_numeral(folded, numeric, i)
            after = folded[numeral.end] if numeral and numeral.end < len(folded) else ""
            if numeral and (not numeral.single or after in units or len(folded) == 1):
                found.append(numeral.value)
                i = numeral.end
                continue
            i += 1
        return found[0] if len(found) == 1 else None

    def asks_for_help(self, text: str) -> bool:
        typed = Typed.of(words_of(text))
        return any(phrase.find(typed) for phrase in self.help)

    def is_question(self, text: str) -> bool:
        typed = Typed.of(words_of(text))
        return "?" in text or any(phrase.find(typed) for phrase in self.questions)


def _table(data: dict[str, object], key: str) -> dict[str, object]:
    value = data[key]
    assert isinstance(value, dict)
    return dict(value)


def _list(value: object) -> list[str]:
    assert isinstance(value, list)
    return [str(item) for item in value]


def _strings(data: dict[str, object], key: str) -> list[str]:
    return _list(data[key])


@cache
def talk() -> Talk:
    with DATA.open("rb") as file:
        return Talk(tomllib.load(file))
