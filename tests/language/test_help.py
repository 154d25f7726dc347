"""What a request to a person is about (bot/language/help.py), typed with and without
diacritics."""

from __future__ import annotations

import pytest

from bot.language.help import help_topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("em cần luật sư giúp vụ đất", "legal_aid"),
        ("em can luat su giup vu dat", "legal_aid"),
        ("tôi muốn được trợ giúp pháp lý", "legal_aid"),
        ("toi muon duoc tro giup phap ly", "legal_aid"),
        ("xin tư vấn pháp luật về đất", "legal_aid"),
        ("nhờ tư vấn luật hôn nhân", "legal_aid"),
        ("con tôi muốn xin tư vấn đi Hàn Quốc làm việc", "overseas_work"),
        ("con toi muon xin tu van di han quoc", "overseas_work"),
        ("cần tư vấn xuất khẩu lao động Nhật Bản", "overseas_work"),
        ("can tu van xkld dai loan", "overseas_work"),
        ("tôi cần vay vốn", "loan"),
        ("toi can vay von", "loan"),
        ("nhà tôi muốn được vay", "loan"),
        ("xin vay vốn làm ăn", "loan"),
        ("nhà tôi cần được giúp đỡ", "help"),
        ("nha toi can duoc giup do", "help"),
        ("cần hỗ trợ", "help"),
        ("xin được tư vấn", "help"),
        ("cần người giúp", "help"),
        ("giúp tôi với", "help"),  # a plea (talk.toml [help])
        ("nhờ cán bộ", "help"),
        ("CẦN LUẬT SƯ", "legal_aid"),
    ],
)
def test_the_topic(text: str, topic: str) -> None:
    assert help_topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bán heo 3 triệu",
        "cần vay 5 triệu",  # a sum: a diary line or a question, not a request
        "luật sư nói cần tiền",  # the topic before the ask
        "cần\ntư vấn đi nhật",  # the ask and the topic on different lines
        "bị quỵt lương thì sao",
        "đi Hàn Quốc cần giấy tờ gì",
    ],
)
def test_no_topic(text: str) -> None:
    assert help_topic(text) is None
