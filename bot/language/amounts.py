"""Sums of money, and the numbers that are not sums (counts, labels, years, phones).

A sum is one or more groups "quantity unit" in falling order of units, perhaps ended
by a tail: ``2tr250`` (2 250 000), ``1 triệu 2`` (1 200 000), ``hai triệu năm trăm
nghìn``, ``ba triệu rưỡi``, ``nửa triệu``, ``1 tỷ 2 trăm triệu``.  A number with no
unit is a *bare* number: below 1000 it means thousands (``rau 20``); the parser decides
whether it is the sum or a count.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from bot.language.lexicon import Lexicon
from bot.language.numbers import (
    HALF_AFTER,
    HALF_BEFORE,
    HUNDRED,
    NUMERAL_WORDS,
    TAIL_DIGITS,
    TEN,
    TENS,
    Decimal,
    read_digits,
    read_numeral,
)
from bot.language.tokens import NUM, SYM, WORD, Tokens

# What a number turned out to be.
AMOUNT: Final = 0  # a sum with a money unit (500k, 3 triệu)
BARE: Final = 1  # a number with no unit, already in đồng (20 → 20 000)
COUNT: Final = 2  # counts things (2 con, 20 ký)
# A count's value is in thousandths, so that "1,5 ký" multiplies a price per kilo.
COUNT_SCALE: Final = 1000
FOREIGN: Final = 3  # a sum in another currency (500 đô)
SKIP: Final = 4  # not a sum whatever the context (0912…, 2026, 05, 10%)

# Units big enough to be said alone, meaning one of them: "triệu rưỡi", "triệu hai".
_IMPLICIT_ONE_MIN: Final = 100_000
# A number with the word "đồng" and less than this is not in đồng (no such sums).
_MIN_DONG: Final = 1_000
# A spaced digit tail needs a unit this big: "3 triệu 5", but "500k 3" is two numbers.
_SPACED_TAIL_MIN: Final = 100_000


class NumberHit(NamedTuple):
    kind: int
    value: int  # đồng for AMOUNT and BARE; thousandths for COUNT; the number otherwise
    end: int  # token index after the number (and its money unit)
    unit_end: int  # for COUNT: index after the counting word


class _Quantity(NamedTuple):
    number: Decimal
    end: int
    single: bool  # one word alone ("hai", "mười", "nửa"): a number only before a unit
    digits: str | None  # the digit token, when it was one


class AmountReader:
    """Reads numbers at positions of one message's tokens."""

    __slots__ = ("_kinds", "_lex", "_n", "_numeric", "_tokens", "_words", "starters")

    def __init__(self, lexicon: Lexicon, tokens: Tokens) -> None:
        self._lex = lexicon
        self._tokens = tokens
        self._words = tokens.words
        self._kinds = tokens.kinds
        self._numeric = [kind == NUM for kind in tokens.kinds]
        self._n = len(tokens.kinds)
        # words that may open a number: numerals, "nửa", units ("triệu rưỡi")
        self.starters = lexicon.number_starters

    # -- helpers -----------------------------------------------------------------------

    def _word(self, i: int) -> str:
        return self._words[i] if i < self._n and self._kinds[i] == WORD else ""

    def is_item(self, i: int) -> bool:
        """Whether goods that are counted ("heo", "trái dừa") start at ``i``."""
        if i >= self._n or self._kinds[i] != WORD:
            return False
        found = self._lex.terms.match(self._words, i)
        return found is not None and found[1].item

    def _unit(self, i: int) -> tuple[int, int] | None:
        """A money unit at ``i``: (đồng per unit, index after it)."""
        if i >= self._n or self._kinds[i] != WORD:
            return None
        words = self._words
        found = self._lex.units.match(words, i)
        weak = False
        if found is None:
            found = self._lex.weak_units.match(words, i)
            weak = True
        if found is None:
            return None
        size, multiplier = found
        # "ngân hàng", "đồng phục": a phrase of the lexicon, not a unit
        if self._lex.terms.opens_phrase(words[i]):
            term = self._lex.terms.match(words, i)
            if term is not None and term[0] > size:
                return None
        # "3 củ khoai" counts tubers; "3 củ" alone is three million
        if weak and self.is_item(i + size):
            return None
        return multiplier, i + size

    def _quantity(self, i: int, *, first: bool) -> _Quantity | None:
        words, numeric = self._words, self._numeric
        if numeric[i]:
            if self._word(i + 1) in (HUNDRED, TENS):
                numeral = read_numeral(words, numeric, i)
                if numeral is not None:
                    return _Quantity(Decimal(numeral.value, 0), numeral.end, False, None)
            number = read_digits(words[i])
            if number is None:
                return None
            return _Quantity(number, i + 1, False, words[i])
        if self._kinds[i] != WORD:
            return None
        word = words[i]
        if word == HALF_BEFORE:
            return _Quantity(Decimal(5, 1), i + 1, True, None)
        if word in NUMERAL_WORDS:
            numeral = read_numeral(words, numeric, i)
            if numeral is not None:
                return _Quantity(Decimal(numeral.value, 0), numeral.end, numeral.single, None)
        if first:
            # "triệu rưỡi", "triệu hai": one of a big unit
            unit = self._unit(i)
            if unit is not None and unit[0] >= _IMPLICIT_ONE_MIN:
                after = self._word(unit[1])
                if after == HALF_AFTER or after in TAIL_DIGITS:
                    return _Quantity(Decimal(1, 0), i, False, None)
        return None

    def _tail(self, i: int, multiplier: int) -> tuple[int, int] | None:
        """The part after a unit: "3tr5", "2 triệu 250", "một triệu hai" → (đồng, end)."""
        if i >= self._n:
            return None
        words = self._words
        numeral_after = self._word(i + 1) in (TEN, TENS, HUNDRED)
        if self._numeric[i] and not numeral_after:
            digits = words[i]
            if not digits.isdigit() or len(digits) > 3:
                return None
            if not self._tokens.attached(i) and multiplier < _SPACED_TAIL_MIN:
                return None
            value, end = int(digits) * multiplier // 10 ** len(digits), i + 1
        else:
            word = words[i]
            if word in TAIL_DIGITS and not numeral_after:
                value, end = TAIL_DIGITS[word] * multiplier // 10, i + 1
            else:
                numeral = read_numeral(words, self._numeric, i)
                if numeral is None:
                    return None
                # "triệu hai trăm" is 200 of the next unit down (thousands)
                value, end = numeral.value * multiplier // 1000, numeral.end
        # "3 triệu 2 con": the 2 counts pigs
        counted = (
            end < self._n
            and self._kinds[end] == WORD
            and (self.is_item(end) or self._lex.count_units.match(words, end) is not None)
        )
        if counted:
            return None
        return value, end

    # -- reading -----------------------------------------------------------------------

    def starts_number(self, i: int) -> bool:
        return self._numeric[i] or (self._kinds[i] == WORD and self._words[i] in self.starters)

    def read(self, i: int) -> NumberHit | None:
        """The number starting at token ``i``, or None if there is none."""
        quantity = self._quantity(i, first=True)
        if quantity is None:
            if self._numeric[i]:
                return NumberHit(SKIP, 0, i + 1, i + 1)
            return None
        unit = self._unit(quantity.end)
        # "5 đồng" is no sum anyone records: "ngày 5 đóng tiền điện" folds alike
        if unit is not None and unit[0] == 1 and quantity.number.times(1) < _MIN_DONG:
            unit = None
        if unit is None:
            return self._bare(quantity)
        total = 0
        last = 0
        end = quantity.end
        while True:
            multiplier, end = unit
            total += quantity.number.times(multiplier)
            last = multiplier
            if multiplier > 1:
                currency = self._lex.currency.match(self._words, end) if end < self._n else None
                if currency is not None:
                    end += currency[0]
            if self._word(end) == HALF_AFTER:
                total += multiplier // 2
                end += 1
                break
            if multiplier == 1 or end >= self._n:
                break
            following = self._quantity(end, first=False)
            if following is not None and not following.single:
                next_unit = self._unit(following.end)
                if next_unit is not None:
                    if next_unit[0] < last:
                        quantity, unit = following, next_unit
                        continue
                    break
            tail = self._tail(end, multiplier)
            if tail is not None:
                total += tail[0]
                end = tail[1]
            break
        if total <= 0:
            return NumberHit(SKIP, 0, end, end)
        return NumberHit(AMOUNT, total, end, end)

    def _bare(self, quantity: _Quantity) -> NumberHit | None:
        end = quantity.end
        words = self._words
        if end < self._n:
            kind = self._kinds[end]
            if kind == WORD:
                counted = self._lex.count_units.match(words, end)
                if counted is not None:
                    count = quantity.number.times(COUNT_SCALE)
                    return NumberHit(COUNT, count, end, end + counted[0])
                foreign = self._lex.foreign.match(words, end)
                if foreign is not None:
                    value = quantity.number.times(1)
                    return NumberHit(FOREIGN, value, end + foreign[0], end + foreign[0])
            elif kind == SYM and words[end] in "%$":
                return NumberHit(SKIP, 0, end + 1, end + 1)
        if quantity.single:
            return None
        digits = quantity.digits
        number = quantity.number
        if digits is not None:
            plain = digits.isdigit()
            # 05, 007: codes, not sums
            if plain and len(digits) > 1 and digits[0] == "0":
                return NumberHit(SKIP, 0, end, end)
            # 2026, 1975: a year or a code (đồng sums of four digits are round)
            if plain and len(digits) == 4 and int(digits) % 100:
                return NumberHit(SKIP, 0, end, end)
        value = (
            number.times(1000) if number.mantissa < 1000 * 10**number.places else number.times(1)
        )
        if value <= 0:
            return NumberHit(SKIP, 0, end, end)
        return NumberHit(BARE, value, end, end)

    def single(self) -> int | None:
        """The one sum in a short text ("3 triệu", "500"), or None if none or several."""
        found: list[int] = []
        i = 0
        while i < self._n:
            if self.starts_number(i):
                hit = self.read(i)
                if hit is not None:
                    if hit.kind in (AMOUNT, BARE):
                        found.append(hit.value)
                    i = max(hit.end, i + 1)
                    continue
            i += 1
        return found[0] if len(found) == 1 else None
