"""Properties: no input makes the reader raise; diacritics and NFC/NFD change nothing."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.language import parse_amount, parse_date, parse_message
from bot.language.folding import fold
from bot.language.parser import parse
from tests.language.corpus import HERE, load

TODAY = date(2026, 3, 20)
CORPUS = [case.text for case in load(HERE / "diary-dev.jsonl") + load(HERE / "cases.jsonl")]

# Text that looks like a diary: Vietnamese letters, digits, units, separators.
VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
diary_words = st.sampled_from(
    [
        "bán",
        "mua",
        "heo",
        "triệu",
        "tr",
        "k",
        "nghìn",
        "củ",
        "rưỡi",
        "nửa",
        "hai",
        "trăm",
        "mười",
        "lăm",
        "chục",
        "hôm",
        "qua",
        "thứ",
        "tiền",
        "điện",
        "vay",
        "trả",
        "nợ",
        "con",
        "và",
        ",",
        ";",
        "\n",
        "+",
        "/",
        ".",
        "?",
        "đ",
        "xị",
        "tỷ",
        "ngày",
        "cho",
        "mượn",
    ]
)
diary_text = st.lists(
    st.one_of(
        diary_words,
        st.integers(min_value=0, max_value=10**30).map(str),
        st.text(alphabet=VIETNAMESE + "0123456789.,/ ", max_size=8),
    ),
    max_size=25,
).map(" ".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_reads_without_error(text: str) -> None:
    parse(text, today=TODAY).to_json()  # the internal reader: a bug would raise here
    parse_amount(text)
    parse_date(text, today=TODAY)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(diary_text)
def test_diary_like_text_reads_without_error(text: str) -> None:
    result = parse(text, today=TODAY)
    for entry in result.entries:
        assert entry.amount > 0
        assert entry.date <= TODAY
    assert all(amount > 0 for amount in result.amounts)


def test_hard_inputs() -> None:
    hard = [
        "",
        " ",
        "\x00\x01\x02bán heo\x1f 3 triệu\x7f",
        "bán heo 3 triệu " * 700,  # about 11 000 characters
        "9" * 10_000,
        "bán heo " + "9" * 10_000 + " triệu",
        "🐷🐷🐷 bán heo 3 triệu 💰",
        "продал свинью за 3 миллиона",
        "卖猪三百万",
        "बेचा 3 triệu",
        "٣ triệu",
        "a\u0301\u0301\u0301 b\u0323\u0323 3 triệu",
        "\u200b\ufeffbán heo 3 triệu",
        "1.2.3.4.5 triệu",
        "3tr5tr5tr5",
        "k k k tr tr triệu triệu",
        "rưỡi rưỡi nửa nửa",
        "////////",
        "thứ thứ thứ hai hai hai",
        "10^999999",
    ]
    for text in hard:
        result = parse(text, today=TODAY)
        assert isinstance(result.to_json(), dict)


def test_a_bug_never_escapes_parse_message(monkeypatch: object) -> None:
    import bot.language.parser as parser_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(parser_module, "parse", broken)  # type: ignore[attr-defined]
    result = parse_message("bán heo 3 triệu", today=TODAY)
    assert result.clarify is not None and result.clarify.reason == "unreadable"


def test_stripping_diacritics_changes_nothing_on_the_corpus() -> None:
    for text in CORPUS:
        with_marks = parse_message(text, today=TODAY).to_json()
        without = parse_message(fold(text), today=TODAY).to_json()
        assert with_marks == without, text


def test_nfd_reads_like_nfc_on_the_corpus() -> None:
    for text in CORPUS:
        nfc = parse_message(unicodedata.normalize("NFC", text), today=TODAY)
        nfd = parse_message(unicodedata.normalize("NFD", text), today=TODAY)
        assert nfc == nfd, text


@settings(max_examples=300)
@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789 ,.;k", max_size=80))
def test_nfd_reads_like_nfc(text: str) -> None:
    nfc = parse(unicodedata.normalize("NFC", text), today=TODAY)
    nfd = parse(unicodedata.normalize("NFD", text), today=TODAY)
    assert nfc.to_json() == nfd.to_json()
    assert [e.text for e in nfc.entries] == [e.text for e in nfd.entries]


@settings(max_examples=300)
@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789 ,.;k", max_size=80))
def test_folding_first_reads_the_same(text: str) -> None:
    assert parse(text, today=TODAY).to_json() == parse(fold(text), today=TODAY).to_json()


def test_entry_text_quotes_the_original_piece() -> None:
    result = parse_message("Bán trứng 200k, MUA CÁM 150k", today=TODAY)
    assert [e.text for e in result.entries] == ["Bán trứng 200k", "MUA CÁM 150k"]
    decomposed = unicodedata.normalize("NFD", "bán heo 3 triệu")
    (entry,) = parse_message(decomposed, today=TODAY).entries
    assert entry.text == "bán heo 3 triệu"
