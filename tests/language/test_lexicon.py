"""Words are data: the shipped lexicon, and adding a word to a copy of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.language import CATEGORIES, parse_message
from bot.language.lexicon import DEFAULT_PATH, KINDS, Lexicon, default_lexicon

TODAY = date(2026, 3, 20)


def test_shipped_lexicon_loads_once() -> None:
    assert default_lexicon() is default_lexicon()


def test_categories_match_the_contract() -> None:
    assert set(CATEGORIES) == {
        "crop",
        "livestock",
        "aquaculture",
        "wage",
        "business",
        "remittance",
        "support",
        "other_income",
        "production",
        "food",
        "utilities",
        "education",
        "health",
        "household",
        "transport",
        "social",
        "other_expense",
        "loan",
        "lending",
        "savings",
    }
    assert CATEGORIES["loan"].kinds == ("borrow", "repay", "interest")
    assert CATEGORIES["lending"].kinds == ("lend", "collect")
    assert CATEGORIES["savings"].kinds == ("save", "withdraw")
    assert CATEGORIES["crop"].vi == "Trồng trọt"
    kinds, vi, en = CATEGORIES["food"]
    assert kinds == ("expense",) and vi == "Ăn uống" and en
    assert all(set(info.kinds) <= set(KINDS) for info in CATEGORIES.values())


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "lexicon.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_adding_a_crop_is_one_line(tmp_path: Path) -> None:
    before = parse_message("bán trái bần 300k", today=TODAY)
    assert before.entries[0].category == "other_income"
    path = _copy_with(tmp_path, '  "khế", "sơ ri",', '  "trái bần",\n  "khế", "sơ ri",')
    lexicon = Lexicon.load(path)
    (entry,) = parse_message("bán trái bần 300k", today=TODAY, lexicon=lexicon).entries
    assert (entry.kind, entry.amount, entry.category, entry.keyword) == (
        "income",
        300_000,
        "crop",
        "trai ban",
    )
    (bought,) = parse_message("mua trai ban 50k", today=TODAY, lexicon=lexicon).entries
    assert bought.category == "food"


def test_adding_a_local_verb(tmp_path: Path) -> None:
    assert not parse_message("xuất 20 con heo 60 triệu", today=TODAY).entries
    path = _copy_with(tmp_path, '  "bán", "thu",', '  "xuất",\n  "bán", "thu",')
    (entry,) = parse_message(
        "xuất 20 con heo 60 triệu", today=TODAY, lexicon=Lexicon.load(path)
    ).entries
    assert (entry.kind, entry.category) == ("income", "livestock")


def test_a_word_with_two_meanings_is_refused(tmp_path: Path) -> None:
    # "cam" (orange) would fold like "cám" (bran), already production
    path = _copy_with(tmp_path, '  "khế", "sơ ri",', '  "cam",\n  "khế", "sơ ri",')
    with pytest.raises(ValueError, match="cam"):
        Lexicon.load(path)


def test_words_must_be_letters(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, '  "khế", "sơ ri",', '  "4g",\n  "khế", "sơ ri",')
    with pytest.raises(ValueError, match="letters"):
        Lexicon.load(path)


def test_unknown_category_is_refused(tmp_path: Path) -> None:
    path = _copy_with(
        tmp_path, 'income = "crop"\nexpense = "food"', 'income = "crops"\nexpense = "food"'
    )
    with pytest.raises(ValueError, match="crops"):
        Lexicon.load(path)
