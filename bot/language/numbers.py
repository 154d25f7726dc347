"""Numbers: digits with their separators, and Vietnamese numerals written out in words.

These are grammar, not vocabulary, so they live in code rather than in the lexicon.
All words are folded: "mười" and "mươi" both read ``muoi`` and are told apart by
position, as are "lăm" (five, after ten) and "làm" (to do).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

# Longest digit string read as a number; anything longer is absurd for a diary, and
# Python refuses to convert very long digit strings anyway.
MAX_DIGITS: Final = 24
HUGE: Final = 10**MAX_DIGITS

# Digits that may open a numeral.
DIGITS: Final = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}
# Digits after "mươi", "trăm", "triệu"…: "mốt" (1), "tư" (4), "lăm"/"nhăm" (5) join them.
TAIL_DIGITS: Final = {**DIGITS, "tu": 4, "lam": 5, "nham": 5}
TEN: Final = "muoi"  # "mười" (ten) at the front, "mươi" (tens) after a digit
TENS: Final = "chuc"  # "chục": ten, or tens after a digit ("năm chục" = 50)
TENS_WORDS: Final = frozenset({TEN, TENS})
HUNDRED: Final = "tram"
ZERO_TENS: Final = frozenset({"linh", "le"})  # "một trăm linh năm" = 105
HALF_AFTER: Final = "ruoi"  # "rưỡi": and a half
HALF_BEFORE: Final = "nua"  # "nửa": half a
# Words that continue a numeral; a number followed by one is not finished.
NUMERAL_WORDS: Final = frozenset({*TAIL_DIGITS, TEN, TENS, HUNDRED, HALF_AFTER, *ZERO_TENS})


class Decimal(NamedTuple):
    """A number as ``mantissa / 10**places`` (exact, unlike a float)."""

    mantissa: int
    places: int

    def times(self, unit: int) -> int:
        divisor: int = 10**self.places
        return self.mantissa * unit // divisor


def read_digits(text: str) -> Decimal | None:
    """Read a digit token: ``3.500.000``, ``1,500,000``, ``1 500 000``, ``3,5``, ``2.25``.

    A separator followed by exactly three digits groups thousands; otherwise it is the
    decimal point (Vietnamese writes ``3,5``, chat often ``3.5``).  None for a shape
    that is neither (``1.2.3``).
    """
    if text.isdigit():
        if len(text) > MAX_DIGITS:
            return Decimal(HUGE, 0)
        return Decimal(int(text), 0)
    if " " in text:
        return read_digits(text.replace(" ", ""))
    if "^" in text:
        base, _, exponent = text.partition("^")
        if int(exponent) * max(len(base), 1) > MAX_DIGITS:
            return Decimal(HUGE, 0)
        return Decimal(int(base) ** int(exponent), 0)
    parts = text.replace(",", ".").split(".")
    head, tail = parts[0], parts[1:]
    if all(len(part) == 3 for part in tail):
        return read_digits(head + "".join(tail))
    if len(tail) == 1:
        digits = head + tail[0]
        if len(digits) > MAX_DIGITS:
            return Decimal(HUGE, 0)
        return Decimal(int(digits), len(tail[0]))
    # 1.500.000,5: thousands then a decimal part
    separators = [ch for ch in text if ch in ".,"]
    grouped = len(set(separators[:-1])) == 1 and separators[-1] != separators[0]
    if grouped and all(len(part) == 3 for part in tail[:-1]):
        return read_digits(head + "".join(tail[:-1]) + "." + tail[-1])
    return None


class Numeral(NamedTuple):
    """A numeral below a thousand read from words."""

    value: int
    end: int  # index after its last word
    single: bool  # one word alone ("hai", "mười"): a number only before a unit


def lead_digit(words: Sequence[str], numeric: Sequence[bool], i: int) -> int | None:
    """A digit 1-9 at ``i``, as a word or a one-digit number ("5 chục")."""
    word = words[i]
    if numeric[i]:
        return int(word) if len(word) == 1 and word != "0" else None
    digit: int | None = DIGITS.get(word)
    return digit


def _word(words: Sequence[str], i: int) -> str:
    return words[i] if i < len(words) else ""


def _tail_digit(words: Sequence[str], numeric: Sequence[bool], i: int) -> int | None:
    """A digit that ends a numeral, not followed by a word that would continue it."""
    if i >= len(words):
        return None
    digit = lead_digit(words, numeric, i) if numeric[i] else TAIL_DIGITS.get(words[i])
    if digit is None or _word(words, i + 1) in (TEN, TENS, HUNDRED):
        return None
    return digit


def _read_tens(words: Sequence[str], numeric: Sequence[bool], i: int) -> tuple[int, int] | None:
    """Tens: "hai mươi (lăm)", "5 chục", "mười (lăm)", "chục (rưỡi)"."""
    lead = lead_digit(words, numeric, i)
    if lead is not None and _word(words, i + 1) in TENS_WORDS:
        value, j = lead * 10, i + 2
        unit = _tail_digit(words, numeric, j)
        if unit is not None and not numeric[j]:
            return value + unit, j + 1
        if _word(words, j) == HALF_AFTER:
            return value + 5, j + 1
        return value, j
    if numeric[i]:
        return None
    if words[i] == TEN:
        unit = _tail_digit(words, numeric, i + 1)
        if unit is not None and not numeric[i + 1]:
            return 10 + unit, i + 2
        return 10, i + 1
    if words[i] == TENS:
        if _word(words, i + 1) == HALF_AFTER:
            return 15, i + 2
        return 10, i + 1
    return None


def read_numeral(words: Sequence[str], numeric: Sequence[bool], i: int) -> Numeral | None:
    """Read a numeral below 1000 at ``i``: "hai trăm rưỡi", "mười lăm", "5 chục", "trăm hai".

    A numeral of one word is returned with ``single`` set; the caller decides whether
    it is a number at all ("ba" is also "father", "năm" "year", "muối" folds to "mười").
    """
    found = _read_numeral(words, numeric, i)
    if found is None:
        return None
    value, end = found
    return Numeral(value, end, end - i == 1)


def _read_numeral(words: Sequence[str], numeric: Sequence[bool], i: int) -> tuple[int, int] | None:
    value = 0
    j = i
    lead = lead_digit(words, numeric, i)
    if lead is not None and _word(words, i + 1) == HUNDRED:
        value, j = lead * 100, i + 2
    elif words[i] == HUNDRED:
        value, j = 100, i + 1
    if value:
        after = _word(words, j)
        if after in ZERO_TENS:
            unit = _tail_digit(words, numeric, j + 1)
            if unit is not None:
                return value + unit, j + 2
        if after == HALF_AFTER:
            return value + 50, j + 1
        if j < len(words):
            tens = _read_tens(words, numeric, j)
            if tens is not None and not numeric[j]:
                return value + tens[0], tens[1]
            unit = _tail_digit(words, numeric, j)
            # "trăm hai" = 120 (the digit is the tens), but "trăm 2 con" is a count
            if unit is not None and not numeric[j]:
                return value + unit * 10, j + 1
        return value, j
    if numeric[i]:
        # A digit is only a numeral here when words make it one ("5 chục").
        return _read_tens(words, numeric, i)
    tens = _read_tens(words, numeric, i)
    if tens is not None:
        return tens
    digit = DIGITS.get(words[i])
    return (digit, i + 1) if digit is not None else None
