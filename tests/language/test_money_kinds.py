"""The household's whole money (diary-language.md, issue 15): the nine kinds, hired work,
prices per unit, the ceiling and months — each rule with many phrasings of our own."""

from __future__ import annotations

from datetime import date

import pytest

from bot.language import (
    DEFAULT_CEILING,
    complete_direction,
    complete_total,
    confirm_large,
    count_in,
    parse_message,
)

TODAY = date(2026, 12, 2)  # a Wednesday, early in the month


def one(text: str) -> tuple[str, int, str]:
    result = parse_message(text, today=TODAY)
    assert result.clarify is None, (text, result.clarify)
    (entry,) = result.entries
    return entry.kind, entry.amount, entry.category


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("làm cỏ mướn được 300k", 300_000),
        ("đi làm mướn 250 ngàn", 250_000),
        ("đi làm mướn được 300k", 300_000),
        ("cắt lúa mướn 400 ngàn", 400_000),
        ("gặt lúa mướn 2 ngày lãnh 600 ngàn", 600_000),
        ("phụ hồ mướn được 350k", 350_000),
        ("cấy mướn 2 ngày được 500k", 500_000),
        ("bốc vác mướn 200k", 200_000),
        # no diacritics: "muon" is hire after work or with the pay
        ("lam co muon duoc 300k", 300_000),
        ("di lam muon 250 ngan", 250_000),
        ("cat lua muon 400k", 400_000),
        ("gat lua muon lanh 600k", 600_000),
        ("LÀM MƯỚN ĐƯỢC 300K", 300_000),
        ("hôm qua đi làm thuê được 280k", 280_000),
        ("cắt cỏ thuê 150k", 150_000),
    ],
)
def test_hired_work_is_a_wage(text: str, amount: int) -> None:
    assert one(text) == ("income", amount, "wage")


@pytest.mark.parametrize(
    "text",
    [
        "mướn người làm cỏ 500k",
        "muon nguoi lam co 500k",
        "thuê người cắt lúa 2 triệu",
        "mướn máy cày 800k",
        "thue may cay 800k",
    ],
)
def test_paying_for_labour_is_a_production_cost(text: str) -> None:
    kind, _, category = one(text)
    assert (kind, category) == ("expense", "production")


@pytest.mark.parametrize(
    ("text", "kind", "category"),
    [
        # borrowing
        ("mượn cô Ba 2 triệu", "borrow", "loan"),
        ("muon co Ba 2 trieu", "borrow", "loan"),
        ("vay ngân hàng chính sách 30 triệu nuôi bò", "borrow", "loan"),
        ("chị Hai cho mượn 2 triệu", "borrow", "loan"),
        ("nhận tiền vay hội phụ nữ 10 triệu", "borrow", "loan"),
        # repaying principal
        ("trả nợ 1 triệu", "repay", "loan"),
        ("trả góp ngân hàng 1 triệu", "repay", "loan"),
        ("trả nợ chị Tư 1 triệu", "repay", "loan"),
        ("trả lại chị Tư 1 triệu", "repay", "loan"),
        ("tra no ngan hang 2tr", "repay", "loan"),
        # interest never lowers the debt
        ("trả lãi ngân hàng chính sách 300k", "interest", "loan"),
        ("tra lai ngan hang 300k", "interest", "loan"),
        ("đóng lãi hội phụ nữ 90k", "interest", "loan"),
        ("đóng tiền lãi ngân hàng 150k", "interest", "loan"),
        ("trả tiền lãi vay 200k", "interest", "loan"),
        ("tôi trả lãi chị Tư 200k", "interest", "loan"),
        # lending out and money coming back
        ("cho hàng xóm mượn 1 triệu", "lend", "lending"),
        ("cho hang xom muon 1 trieu", "lend", "lending"),
        ("cho anh Tư mượn 500k", "lend", "lending"),
        ("cho chi Tu muon 500k", "lend", "lending"),
        ("cho em gái vay 3 triệu", "lend", "lending"),
        ("tôi cho mượn 2 triệu", "lend", "lending"),
        ("anh Tư trả lại 500k", "collect", "lending"),
        ("chi Tu tra lai 500k", "collect", "lending"),
        ("hàng xóm trả nợ 1 triệu", "collect", "lending"),
        ("người ta trả tiền mượn 1 triệu", "collect", "lending"),
        ("thu nợ anh Ba 2 triệu", "collect", "lending"),
        ("đòi được nợ 700k", "collect", "lending"),
        # putting aside and taking out
        ("góp hụi 500k", "save", "savings"),
        ("gop hui 1tr", "save", "savings"),
        ("đóng hụi 1 triệu", "save", "savings"),
        ("chơi hụi 2 triệu", "save", "savings"),
        ("gửi tiết kiệm 5 triệu", "save", "savings"),
        ("gui tiet kiem 5 trieu", "save", "savings"),
        ("góp tổ tiết kiệm 100k", "save", "savings"),
        ("bỏ heo đất 50k", "save", "savings"),
        ("bỏ ống heo 20k", "save", "savings"),
        ("để dành 200k", "save", "savings"),
        ("hốt hụi 10 triệu", "withdraw", "savings"),
        ("hot hui 10 trieu", "withdraw", "savings"),
        ("nhận tiền hụi 8 triệu", "withdraw", "savings"),
        ("rút tiết kiệm 3 triệu", "withdraw", "savings"),
        ("đập heo đất được 1tr2", "withdraw", "savings"),
    ],
)
def test_money_that_only_moves(text: str, kind: str, category: str) -> None:
    got_kind, _, got_category = one(text)
    assert (got_kind, got_category) == (kind, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("lãi tiết kiệm 50k", "other_income"),  # interest earned is income
        ("mua lại xe cũ 5 triệu", "transport"),  # "lại" is not "lãi"
        ("mua sữa cho bé 180k", "food"),  # what is bought decides, not who for
        ("tiền học cho bé 1 triệu rưỡi", "education"),
        ("mua thuốc cho bà nội 90k", "health"),
        ("mua thuốc cho gà 60k", "production"),
    ],
)
def test_what_is_not_a_movement(text: str, category: str) -> None:
    assert one(text)[2] == category


def test_mượn_is_not_muốn() -> None:
    assert parse_message("muốn bán heo 3 triệu", today=TODAY).entries == ()
    assert parse_message("muon ban heo 3 trieu", today=TODAY).entries == ()
    assert one("mượn bạn 2 triệu")[0] == "borrow"


def test_a_hụi_sum_answered_chi_is_put_aside() -> None:
    result = parse_message("tiền hụi 500k", today=TODAY)
    assert result.clarify is not None and result.clarify.reason == "direction"
    entry = complete_direction(result.clarify, "expense")
    assert (entry.kind, entry.category) == ("save", "savings")
    entry = complete_direction(result.clarify, "income")
    assert (entry.kind, entry.category) == ("withdraw", "savings")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("mua 2 bao phân mỗi bao 400k", 800_000),
        ("mua 2 bao phân 400k mỗi bao", 800_000),
        ("bán 30 ký cá lóc giá 70 ngàn 1 ký", 2_100_000),
        ("bán 50 ký khóm giá 8 ngàn một ký", 400_000),
        ("mua 4 bao cám con cò 380k một bao", 1_520_000),
        ("bán 10 ký cá 35k/kg", 350_000),
        ("bán 100 kg heo hơi 55k/kg", 5_500_000),
        ("ban 20 ki tom 150k/ky", 3_000_000),
        ("bán 3 con gà 120k một con", 360_000),
        ("bán 1,5 ký tiêu 140k một ký", 210_000),
    ],
)
def test_a_price_per_unit_is_multiplied_by_the_count(text: str, amount: int) -> None:
    assert one(text)[1] == amount


@pytest.mark.parametrize(
    "text",
    ["bán khóm 8 ngàn một ký", "heo hơi 55k/kg", "mua phân mỗi bao 400k", "ban ca 70k/kg"],
)
def test_a_price_per_unit_alone_is_asked_back(text: str) -> None:
    result = parse_message(text, today=TODAY)
    assert result.entries == ()
    assert result.clarify is not None and result.clarify.reason == "unit_price"


def test_the_total_of_a_unit_price_is_completed_by_a_count_or_a_sum() -> None:
    clarify = parse_message("bán khóm 8 ngàn một ký", today=TODAY).clarify
    assert clarify is not None and clarify.kind == "income"
    by_count = complete_total(clarify, "50 ký")
    assert by_count is not None and (by_count.amount, by_count.category) == (400_000, "crop")
    by_sum = complete_total(clarify, "420k")
    assert by_sum is not None and by_sum.amount == 420_000
    assert complete_total(clarify, "không biết") is None
    assert count_in("30 ký") == 30_000 and count_in("300k") is None


@pytest.mark.parametrize(
    "text", ["bán heo 3 tỷ", "ban heo 3 ty", "bán đất 1 tỷ 2", "mua xe 600 triệu"]
)
def test_a_sum_over_the_ceiling_is_asked_back(text: str) -> None:
    result = parse_message(text, today=TODAY)
    assert result.entries == ()
    assert result.clarify is not None and result.clarify.reason == "too_large"
    entry = confirm_large(result.clarify)
    assert entry is not None and entry.amount > DEFAULT_CEILING


def test_the_ceiling_is_realistic() -> None:
    assert DEFAULT_CEILING == 500_000_000
    assert one("bán 2 con bò 45 triệu")[1] == 45_000_000


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("tháng 11 bán lúa 12tr", date(2026, 11, 30)),
        ("thang 11 ban lua 12tr", date(2026, 11, 30)),
        ("tháng trước bán heo 5 triệu", date(2026, 11, 30)),
        ("tháng rồi mua cám 300k", date(2026, 11, 30)),
        ("hồi tháng 10 mua phân 500k", date(2026, 10, 31)),
        ("tháng 11/2026 bán lúa 12tr", date(2026, 11, 30)),
        ("bán lúa tháng 3 năm 2026 10 triệu", date(2026, 3, 31)),
        ("tháng 12 bán dừa 2tr", TODAY),  # this month: today
        ("tháng này bán dừa 2tr", TODAY),
        ("tháng giêng bán heo 3 triệu", date(2026, 1, 31)),
        ("2 tháng trước trả nợ 1 triệu", date(2026, 10, 31)),
        ("cuối tháng trước mua cám 300k", date(2026, 11, 30)),
        ("tiền điện tháng 11 230", date(2026, 11, 30)),
        ("vay 10 triệu hạn tháng 6", TODAY),  # a due date, not the entry's month
    ],
)
def test_months_date_the_entry(text: str, day: date) -> None:
    result = parse_message(text, today=TODAY)
    assert [entry.date for entry in result.entries] == [day]


@pytest.mark.parametrize("text", ["tháng sau bán heo 3 triệu", "tháng 1 2027 bán lúa 3 triệu"])
def test_a_month_ahead_is_a_plan(text: str) -> None:
    assert parse_message(text, today=TODAY).entries == ()


def test_a_month_is_not_a_sum() -> None:
    result = parse_message("tháng 3 triệu", today=TODAY)
    assert result.clarify is not None and result.clarify.amount == 3_000_000


@pytest.mark.parametrize("text", ["-5 triệu bán heo", "bán heo -5 triệu", "mua phân −500k"])
def test_a_negative_sum_is_not_read_as_a_positive_one(text: str) -> None:
    result = parse_message(text, today=TODAY)
    assert result.entries == ()
    assert result.clarify is not None and result.clarify.reason == "unreadable"


def test_scientific_notation_is_no_sum() -> None:
    result = parse_message("bán heo 1e9", today=TODAY)
    assert result.entries == ()
    assert result.clarify is not None and result.clarify.reason == "amount"


@pytest.mark.parametrize(
    "text", ["1/1/2099 bán heo 3 triệu", "bán heo 3 triệu 1/1/2099", "ngày 5/1/2027 bán heo 2tr"]
)
def test_a_written_date_ahead_is_asked_not_moved(text: str) -> None:
    result = parse_message(text, today=TODAY)
    assert result.entries == ()
    assert result.clarify is not None and result.clarify.reason == "future_date"
    assert result.clarify.date > TODAY


@pytest.mark.parametrize(
    ("text", "kind", "category"),
    [
        ("trả chị Tư 1 triệu", "repay", "loan"),
        ("tra chi Tu 1 trieu", "repay", "loan"),
        ("chị Tư trả 500k", "collect", "lending"),
        ("cô Ba trả 200k", "collect", "lending"),
        ("chị Năm trả 200k", "collect", "lending"),
        ("anh Lan trả lại 300k", "collect", "lending"),
        ("cho chị Năm mượn 500k", "lend", "lending"),
        ("cho cô Ba vay 1 triệu", "lend", "lending"),
        ("chị Năm trả tiền heo 3 triệu", "income", "livestock"),  # paid for goods
        ("trả chị Tư tiền phân 500k", "expense", "production"),
        ("con Hai gửi về 3 triệu", "income", "remittance"),
        ("rút heo đất 200k", "withdraw", "savings"),
        ("rút hụi 5 triệu", "withdraw", "savings"),
        ("em gái trả lại 1 triệu", "collect", "lending"),
        ("em gai tra lai 1 trieu", "collect", "lending"),
        ("em trả lãi 200k", "interest", "loan"),  # "em" alone is the writer
    ],
)
def test_people_named_by_kin_and_name(text: str, kind: str, category: str) -> None:
    got_kind, _, got_category = one(text)
    assert (got_kind, got_category) == (kind, category)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("chi hai triệu tiền chợ", 2_000_000), ("BÁN CON HEO 3 TRIỆU", 3_000_000)],
)
def test_a_number_after_a_kin_word_is_still_a_number(text: str, amount: int) -> None:
    assert one(text)[1] == amount
