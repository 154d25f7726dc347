"""Corrections said in words: "sửa lại 270k", "không phải 250 mà 270", "250 là 270",
"nhầm, là chi chứ không phải thu", "hôm qua chứ không phải hôm nay", "ghi nhầm".

A correction names what is right (the new value) and, often, what was wrong (the old
value, which also tells which entry is meant).  Values are a sum, a kind (thu, chi,
vay, trả nợ) or a day, read by the diary's own readers.  Pure: text in, values out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.language import parse_amount, parse_date
from bot.language.folding import fold
from bot.language.talk import DIRECTIONS, talk

# Words that say a correction is meant (folded).  "sửa" alone is also to repair ("sửa
# nhà 9 triệu" is an expense): it corrects only before "lại", "thành" or a sum; "nhầm"
# folds like "nhăm" (five), so unaccented it counts only as "ghi nham" or "nham roi".
_TRIGGER = re.compile(
    r"\b(?:ghi nham|nham roi|sua lai|sua thanh|sua (?=\d|la\b|so tien|ngay|loai))|^nham\b"
)
_MISTAKE = re.compile(r"\bnhầm\b")
# Leading words that only introduce the correction.
_LEAD = re.compile(
    r"^(?:(?:da|oi|em|toi|minh|tui|ghi|nham|roi|sua|lai|thanh|la|cai|khoan|dong|do|"
    r"vua|moi|so tien|tien)\s+)+"
)
_NEW_NOT_OLD = re.compile(r"^(?P<new>.*?)\s*\bchu (?:khong|ko|k) phai\b\s*(?P<old>.+)$")
_NOT_OLD_BUT_NEW = re.compile(r"\b(?:khong|ko|k) phai\s+(?P<old>.+?)\s+ma\s+(?P<new>.+)$")
_OLD_IS_NEW = re.compile(r"^(?P<old>.+?)\s+(?:la|thanh|sua thanh|->|=>|→)\s+(?P<new>.+)$")
_DAY_CUE = re.compile(r"\b(?:hom|ngay|qua|kia|bua|thu \d|chu nhat)\b|\d{1,2}\s*/\s*\d{1,2}")
_PUNCTUATION = re.compile(r"[,;!?…]+|\.(?!\d)")
_LONGEST_UNTRIGGERED = 6  # words: "250 là 270" without "sửa" must be short


@dataclass(frozen=True, slots=True)
class Value:
    amount: int | None = None
    kind: str | None = None
    day: date | None = None

    @property
    def empty(self) -> bool:
        return self.amount is None and self.kind is None and self.day is None


@dataclass(frozen=True, slots=True)
class Correction:
    new: Value
    old: Value

    @property
    def vague(self) -> bool:
        """ "ghi nhầm", "sửa lại": nothing said about what is right."""
        return self.new.empty


def read_correction(text: str, *, today: date) -> Correction | None:
    folded = " ".join(_PUNCTUATION.sub(" ", fold(text)).split())
    triggered = _TRIGGER.search(folded) is not None or _MISTAKE.search(text.lower()) is not None
    old_text, brief_only = "", False
    if (found := _NEW_NOT_OLD.search(folded)) or (found := _NOT_OLD_BUT_NEW.search(folded)):
        new_text, old_text = found["new"], found["old"]
    elif found := _OLD_IS_NEW.search(_LEAD.sub("", folded)):
        new_text, old_text, brief_only = found["new"], found["old"], True
    else:
        new_text = folded
    new, old = _value(new_text, today), _value(old_text, today)
    if not triggered and (
        # "không phải 250 mà 270", "250 là 270": two values of one sort ("không phải trả
        # lãi" is no correction), and "là" only in a short message.
        not _same_sort(new, old) or (brief_only and len(folded.split()) > _LONGEST_UNTRIGGERED)
    ):
        return None
    if not new.empty and not old.empty and not _same_sort(new, old):
        old = Value()  # "sửa 270k chứ không phải hôm qua": the old part says nothing usable
    return Correction(new, old)


def _same_sort(new: Value, old: Value) -> bool:
    return bool((new.amount and old.amount) or (new.kind and old.kind) or (new.day and old.day))


def _value(part: str, today: date) -> Value:
    part = _LEAD.sub("", part.strip() + " ").strip()
    if not part:
        return Value()
    kinds = talk().meanings_of(part) & frozenset(DIRECTIONS)
    if len(kinds) == 1:
        return Value(kind=next(iter(kinds)))
    if _DAY_CUE.search(part):
        day = parse_date(part, today=today)
        if day is not None:
            return Value(day=day)
    amount = parse_amount(part)
    return Value(amount=amount) if amount is not None else Value()
