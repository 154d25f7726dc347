"""The public API: entries, asking back and completing the answer, corrections, JSON."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.language import (
    Clarify,
    ParsedEntry,
    complete_amount,
    complete_direction,
    parse_message,
)

TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    "text",
    [
        "xin chào",
        "hôm nay",
        "tháng này",
        "cảm ơn",
        "tôi cần giúp đỡ",
        "đi Hàn Quốc tốn bao nhiêu",
        "chị ơi cho em hỏi",
        "ok",
        "",
        "   ",
        "?",
        "vay vốn ngân hàng chính sách cần giấy tờ gì",
        "bán heo được không",
    ],
)
def test_ordinary_chat_is_not_a_diary_message(text: str) -> None:
    result = parse_message(text, today=TODAY)
    assert result.entries == ()
    assert result.clarify is None
    assert not result.is_diary


def test_a_verb_without_a_sum_asks_for_the_sum() -> None:
    result = parse_message("bán heo", today=TODAY)
    assert result.entries == ()
    assert result.clarify == Clarify(
        "amount", None, "livestock", "bán heo", TODAY, None, "income", "heo"
    )


def test_a_sum_without_a_verb_asks_for_the_direction() -> None:
    result = parse_message("200k", today=TODAY)
    assert result.clarify is not None
    assert (result.clarify.reason, result.clarify.amount) == ("direction", 200_000)
    assert result.amounts == (200_000,)


def test_completing_the_direction_reads_the_category_for_that_kind() -> None:
    result = parse_message("hôm qua heo 3 triệu", today=TODAY)
    assert result.clarify is not None
    sold = complete_direction(result.clarify, "income")
    bought = complete_direction(result.clarify, "expense")
    assert (sold.kind, sold.amount, sold.category) == ("income", 3_000_000, "livestock")
    assert bought.category == "production"
    assert sold.date == date(2026, 3, 19)
    borrowed = complete_direction(result.clarify, "borrow")
    assert borrowed.category == "loan"
    plain = complete_direction(parse_message("200k", today=TODAY).clarify, "expense")  # type: ignore[arg-type]
    assert plain.category == "other_expense"
    with pytest.raises(ValueError):
        complete_direction(result.clarify, "gift")


def test_completing_the_sum() -> None:
    clarify = parse_message("sáng nay mua phân", today=TODAY).clarify
    assert clarify is not None and clarify.reason == "amount"
    entry = complete_amount(clarify, "3 triệu rưỡi")
    assert entry == ParsedEntry(
        "expense", 3_500_000, "production", TODAY, time(8, 0), "sáng nay mua phân", "phan"
    )
    assert complete_amount(clarify, "500") is not None
    assert complete_amount(clarify, "500").amount == 500_000  # type: ignore[union-attr]
    assert complete_amount(clarify, "chưa biết") is None
    assert complete_amount(clarify, "99 tỷ") is None  # over the ceiling
    direction = parse_message("200k", today=TODAY).clarify
    assert direction is not None and complete_amount(direction, "300k") is None


def test_too_large_asks_again_and_can_be_completed() -> None:
    result = parse_message("bán heo 30 tỷ", today=TODAY)
    assert result.clarify is not None and result.clarify.reason == "too_large"
    entry = complete_amount(result.clarify, "30 triệu")
    assert entry is not None and (entry.kind, entry.category) == ("income", "livestock")


def test_clear_parts_wait_while_another_part_asks_back() -> None:
    result = parse_message("bán heo 3 triệu, mua cám", today=TODAY)
    assert result.entries == ()
    assert result.clarify is not None and result.clarify.reason == "amount"
    assert [(e.kind, e.amount) for e in result.pending] == [("income", 3_000_000)]
    assert result.to_json()["entries"] == []


def test_several_entries_keep_their_order_and_text() -> None:
    result = parse_message("bán trứng 200k, mua cám 150k", today=TODAY)
    assert [(e.kind, e.amount, e.category, e.text) for e in result.entries] == [
        ("income", 200_000, "livestock", "bán trứng 200k"),
        ("expense", 150_000, "production", "mua cám 150k"),
    ]


def test_overrides_change_the_category_not_the_kind() -> None:
    (entry,) = parse_message("bán heo 3 triệu", today=TODAY).entries
    assert entry.keyword == "heo"
    (corrected,) = parse_message(
        "bán heo 3 triệu", today=TODAY, overrides={"heo": "business"}
    ).entries
    assert (corrected.kind, corrected.category, corrected.keyword) == ("income", "business", "heo")


def test_overrides_reach_words_the_lexicon_does_not_know() -> None:
    (entry,) = parse_message("bán khạp 200k", today=TODAY).entries
    assert (entry.category, entry.keyword) == ("other_income", "khap")
    overrides = {"khap": "business"}
    (corrected,) = parse_message("ban khạp 200k", today=TODAY, overrides=overrides).entries
    assert corrected.category == "business"


def test_overrides_that_do_not_fit_the_kind_are_ignored() -> None:
    (entry,) = parse_message(
        "vay ngân hàng 5 triệu", today=TODAY, overrides={"ngan hang": "business"}
    ).entries
    assert entry.category == "loan"
    (entry,) = parse_message("mua heo 2 triệu", today=TODAY, overrides={"heo": "livestock"}).entries
    assert entry.category == "production"


def test_to_json_shape() -> None:
    result = parse_message("tối qua bán heo 3 triệu", today=TODAY)
    assert result.to_json() == {
        "entries": [
            {
                "kind": "income",
                "amount": 3_000_000,
                "category": "livestock",
                "date": "2026-03-19",
                "time": "19:00",
            }
        ],
        "clarify": False,
        "ask": None,
        "amounts": [3_000_000],
    }
    asked = parse_message("heo 3 triệu", today=TODAY).to_json()
    assert asked == {"entries": [], "clarify": True, "ask": "direction", "amounts": [3_000_000]}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mượn chị hai 2 triệu", "borrow"),
        ("chị hai cho mượn 2 triệu", "borrow"),
        ("cho mượn 2 triệu", "lend"),
        ("tôi cho mượn 2 triệu", "lend"),
        ("trả nợ 1 triệu", "repay"),
        ("đóng lãi ngân hàng 350k", "interest"),
        ("trả góp 800k", "repay"),
        ("nhận tiền vay ngân hàng 30 triệu", "borrow"),
    ],
)
def test_loans(text: str, kind: str) -> None:
    (entry,) = parse_message(text, today=TODAY).entries
    assert entry.kind == kind
    assert entry.category == ("lending" if kind == "lend" else "loan")
