"""Normalising a message and cutting it into tokens.

The reader works on the folded text (lower case, no diacritics, ``đ`` → ``d``), so
"bán heo", "ban heo" and a decomposed (NFD) "bán heo" read the same.  The original
(cleaned, NFC) text is kept so that each entry can quote the piece it came from.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from bot.language.folding import fold

# Token kinds.
WORD: Final = 0  # folded letters a-z
NUM: Final = 1  # digits, perhaps with . , or thousands spaces: 3.500.000, 1,5, 1 500 000
DATE: Final = 2  # 15/3, 15/3/2026, 15-3-2026
TIME: Final = 3  # 7h, 7h30, 19:30, 7g30
PHONE: Final = 4  # 0912345678, 0912 345 678, +84 912 345 678
SEP: Final = 5  # , ; + line breaks and a sentence's full stop: they part entries
QMARK: Final = 6  # ?
SYM: Final = 7  # / % $
OTHER: Final = 8  # letters of other scripts, emoji

_TOKEN = re.compile(
    r"(?P<phone>(?<![0-9])(?:\+84|0)(?:[ .\-]?[0-9]){8,10}(?![0-9]))"
    r"|(?P<date>(?<![0-9/.,])[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?(?![0-9/])"
    r"|(?<![0-9\-.,])[0-9]{1,2}-[0-9]{1,2}-(?:[0-9]{4}|[0-9]{2})(?![0-9\-]))"
    r"|(?P<time>(?<![0-9.,])[0-9]{1,2}(?::[0-9]{2}|h(?:[0-9]{2})?|g[0-9]{2})(?![0-9a-z]))"
    # 1e9: no household writes a sum so; kept whole so it is not read as "1" and "9"
    r"|(?P<sci>(?<![0-9a-z.,])[0-9]+(?:[.,][0-9]+)?e[+-]?[0-9]+(?![0-9a-z]))"
    # Thousands written with spaces: at least two groups (1 500 000), or one group
    # before the word for đồng (1 500 đồng).
    r"|(?P<num>[0-9]{1,3}(?: [0-9]{3}){2,}(?![0-9])"
    r"|[0-9]{1,3} [0-9]{3}(?= ?(?:d|dong|vnd)(?![a-z]))"
    r"|[0-9]{1,6}\^[0-9]{1,6}"  # 10^6: rare, but read rather than split in two
    r"|[0-9]+(?:[.,][0-9]+)*)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<sep>[,;+\n\r]|[.!](?=\s|$))"
    r"|(?P<qmark>\?)"
    r"|(?P<sym>[/%$])"
    r"|(?P<other>[^\W0-9_]+|[^\s\w])"  # other scripts, emoji, punctuation
)
_KIND_OF = {
    "phone": PHONE,
    "date": DATE,
    "time": TIME,
    "num": NUM,
    "word": WORD,
    "sep": SEP,
    "qmark": QMARK,
    "sym": SYM,
    "other": OTHER,
    "sci": OTHER,
}

# Control characters (NUL would even break a PostgreSQL text column) and invisible
# spaces become plain spaces; tabs and line breaks stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff]")


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character at a time, filled lazily.

    Each character folds to at most one character, so offsets into the folded text
    are offsets into the original unless a character folded to nothing (a combining
    mark that NFC could not compose); :class:`Text` keeps a map for that case.
    """

    _LIMIT = 8192  # keep the cache small whatever scripts come in

    def __missing__(self, codepoint: int) -> str:
        folded = fold(chr(codepoint))[:1]
        if len(self) < self._LIMIT:
            self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


class Text:
    """A message cleaned and folded; ``source`` maps folded offsets back."""

    __slots__ = ("_offsets", "accented", "folded", "original")

    def __init__(self, raw: str) -> None:
        cleaned = _CONTROL.sub(" ", raw)
        if cleaned.isascii():
            self.original = cleaned
            self.folded = cleaned.lower()
            self.accented = False
            self._offsets: list[int] | None = None
            return
        self.accented = True  # (or another script: folding tells them apart)
        original = unicodedata.normalize("NFC", cleaned)
        folded = original.translate(_FOLD_TABLE)
        self.original = original
        self.folded = folded
        self._offsets = None
        if len(folded) != len(original):
            offsets = [i for i, ch in enumerate(original) if _FOLD_TABLE[ord(ch)]]
            offsets.append(len(original))
            self._offsets = offsets

    def source(self, start: int, end: int) -> str:
        """The original text behind folded ``[start, end)``."""
        if self._offsets is not None:
            start, end = self._offsets[start], self._offsets[end]
        return self.original[start:end].strip()


class Tokens:
    """The tokens of a message, as parallel lists (cheaper than one object each)."""

    __slots__ = ("ends", "kinds", "starts", "words")

    def __init__(self, folded: str) -> None:
        matches = list(_TOKEN.finditer(folded))
        kind_of = _KIND_OF
        self.kinds: list[int] = [kind_of[m.lastgroup or "other"] for m in matches]
        self.words: list[str] = [m.group() for m in matches]
        self.starts: list[int] = [m.start() for m in matches]
        self.ends: list[int] = [m.end() for m in matches]

    def __len__(self) -> int:
        return len(self.kinds)

    def attached(self, i: int) -> bool:
        """Whether token ``i`` follows the one before it with no space (3tr5, 1k5)."""
        return 0 < i < len(self.kinds) and self.starts[i] == self.ends[i - 1]
