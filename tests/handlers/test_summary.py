"""Which month a household asks to see: the words after «tháng», and whole messages."""

from __future__ import annotations

from datetime import date

import pytest

from bot.language.months import asked_month, named_month

TODAY = date(2026, 12, 2)
THIS = date(2026, 12, 1)
LAST = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("words", "month"),
    [
        ("", THIS),
        ("này", THIS),
        ("nay", THIS),
        ("trước", LAST),
        ("truoc", LAST),
        ("rồi", LAST),
        ("vừa rồi", LAST),
        ("vừa qua", LAST),
        ("11", LAST),
        ("11/2026", LAST),
        ("11/26", LAST),
        ("11-2026", LAST),
        ("11.2026", LAST),
        ("11 / 2026", LAST),
        ("11 năm 2026", LAST),
        ("11 nam nay", LAST),
        ("12", THIS),
        ("12/2026", THIS),
        ("01/2026", date(2026, 1, 1)),
        ("1", date(2026, 1, 1)),  # the latest January not in the future
        ("10 năm ngoái", date(2025, 10, 1)),
        ("12 nam ngoai", date(2025, 12, 1)),
        ("3/2025", date(2025, 3, 1)),
        ("1/2027", date(2027, 1, 1)),  # named, though still to come: the caller says so
    ],
)
def test_words_after_thang(words: str, month: date) -> None:
    assert asked_month(words, TODAY) == month


@pytest.mark.parametrize(
    "words",
    ["13", "0", "11/2026/1", "abc", "11 bán lúa", "trước bán heo", "11/1999", "11 năm sau"],
)
def test_words_that_name_no_month(words: str) -> None:
    assert asked_month(words, TODAY) is None


def test_a_month_without_a_year_is_the_latest_not_to_come() -> None:
    # In January, December is last year's; in December, it is this one.
    assert asked_month("12", date(2027, 1, 15)) == date(2026, 12, 1)
    assert asked_month("trước", date(2027, 1, 15)) == date(2026, 12, 1)
    assert asked_month("1", date(2027, 1, 15)) == date(2027, 1, 1)
    assert asked_month("2", date(2027, 1, 15)) == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("tháng này", THIS),
        ("Tháng này", THIS),
        ("xem tháng", THIS),
        ("xem tháng này", THIS),
        ("thang nay", THIS),
        ("tháng trước", LAST),
        ("Tháng trước.", LAST),
        ("tháng trước?", LAST),
        ("xem tháng trước", LAST),
        ("THANG TRUOC", LAST),
        ("tháng rồi", LAST),
        ("tháng 11", LAST),
        ("thang 11", LAST),
        ("tháng 11/2026", LAST),
        ("thang 11/2026", LAST),
        ("xem tháng 11", LAST),
        ("xem sổ tháng 11", LAST),
        ("tháng  11 /2026", LAST),
        ("tháng 11 năm 2026", LAST),
        ("tháng 11 sao rồi", LAST),
        ("thang 11 the nao", LAST),
        ("tháng trước ra sao", LAST),
        ("tháng 11 ạ", LAST),
        ("tháng 10 năm ngoái", date(2025, 10, 1)),
    ],
)
def test_whole_messages_that_ask_for_a_month(text: str, month: date) -> None:
    assert named_month(text, TODAY) == month


@pytest.mark.parametrize(
    "text",
    [
        "tháng 11 bán lúa 12tr",
        "thang truoc ban heo 3 trieu",
        "hồi tháng 10 mua phân 500k",
        "tháng 13",
        "lương tháng 11",
        "trả góp tháng 11 1 triệu",
        "tháng sau",
    ],
)
def test_messages_that_are_not_a_month_asked(text: str) -> None:
    assert named_month(text, TODAY) is None


def test_the_word_thang_alone_is_this_month() -> None:
    assert named_month("tháng", TODAY) == THIS
