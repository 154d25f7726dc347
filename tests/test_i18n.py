"""Every string the code shows is in both catalogs; formatting follows the locale."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

from bot.i18n import translator

ROOT = Path(__file__).resolve().parent.parent


def _catalogs_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_string_in_code_is_translated(tmp_path: Path, monkeypatch: object) -> None:
    catalogs = _catalogs_script()
    catalogs.TEMPLATE = tmp_path / "messages.pot"  # don't rewrite the project's template
    used = {message.id for message in catalogs.extract() if message.id}
    assert len(used) > 50
    for locale in ("vi", "en"):
        catalog = catalogs.load(locale)
        missing = sorted(m for m in used if catalog.get(m) is None or not catalog.get(m).string)
        assert not missing, (
            f"{locale}: not in the catalog (run scripts/catalogs.py update): {missing}"
        )


def test_money_and_dates_follow_the_locale() -> None:
    vi, en = translator("vi"), translator("en")
    assert vi.money(3_000_000).replace("\xa0", " ") == "3.000.000 ₫"
    assert en.money(3_000_000) == "₫3,000,000"
    assert vi.date(date(2026, 11, 29)) == "29/11/2026"
    assert vi._("Đã ghi:") == "Đã ghi:" and en._("Đã ghi:") == "Written:"
    assert translator("en-US").locale == "en" and translator("fr").locale == "vi"


def test_money_is_written_as_babel_writes_it() -> None:
    from babel.numbers import format_currency

    sums = [0, 1, 999, 1000, -1, -5000, 3_000_000, 123_456_789_012, -(10**15)]
    sums += [(7**n) * (-1) ** n for n in range(20)]
    for locale in ("vi", "en"):
        t = translator(locale)
        for amount in sums:
            assert t.money(amount) == format_currency(amount, "VND", locale=locale)
