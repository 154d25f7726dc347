"""Gettext catalogs (Babel) and locale-aware formatting, chosen per update.

Vietnamese is the source language: message ids are the Vietnamese texts, the ``vi``
catalog confirms them and the ``en`` catalog translates them.  Catalogs are compiled
(``pybabel compile -d locales``) at install; a missing or stale ``.mo`` is compiled in
memory from its ``.po`` so a fresh checkout still speaks both languages.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LOCALES = ("vi", "en")
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


@cache
def _catalog(locale: str) -> gettext.NullTranslations:
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.exists():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


@cache
def _money_shape(locale: str) -> tuple[str, str, str]:
    """What Babel writes before and after a sum of đồng, and its digit group separator.

    Babel's ``format_currency`` reads the locale's pattern at every call; a diary reply
    shows a sum or two, and that was a twentieth of a message's time.  đồng have no
    decimals, so the sum itself is just grouped digits.
    """
    zero = format_currency(0, "VND", locale=locale)
    before, _, after = zero.partition("0")
    group = format_decimal(1000, locale=locale)[1]
    return before, group, after


def normalise_locale(locale: str | None, default: str = "vi") -> str:
    if locale:
        short = locale.replace("-", "_").split("_")[0].lower()
        if short in LOCALES:
            return short
    return default


@dataclass(frozen=True, slots=True)
class Translator:
    """Texts, money, numbers and dates for one reader's locale."""

    locale: str

    def _(self, message: str) -> str:
        return _catalog(self.locale).gettext(message)

    def n_(self, singular: str, plural: str, count: int) -> str:
        return _catalog(self.locale).ngettext(singular, plural, count)

    def money(self, amount: int) -> str:
        """``3.000.000 ₫`` in Vietnamese, ``₫3,000,000`` in English."""
        before, group, after = _money_shape(self.locale)
        sign = "-" if amount < 0 else ""
        return f"{sign}{before}{abs(amount):,}{after}".replace(",", group)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: date) -> str:
        return format_date(value, "dd/MM/yyyy", locale=self.locale)

    def datetime(self, value: datetime) -> str:
        return format_datetime(value, "HH:mm dd/MM/yyyy", locale=self.locale)


def translator(locale: str | None, default: str = "vi") -> Translator:
    return Translator(normalise_locale(locale, default))
