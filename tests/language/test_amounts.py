"""Sums of money: every way the contract writes one, and numbers that are not sums."""

from __future__ import annotations

from datetime import date

import pytest

from bot.language import parse_amount, parse_message

TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        # units
        ("500k", 500_000),
        ("500 k", 500_000),
        ("500K", 500_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500 nghin", 500_000),
        ("500 ngan", 500_000),
        ("500n", 500_000),
        ("3 triệu", 3_000_000),
        ("3 trieu", 3_000_000),
        ("3tr", 3_000_000),
        ("3 tr", 3_000_000),
        ("3 củ", 3_000_000),
        ("3 cu", 3_000_000),
        ("1 tỷ", 1_000_000_000),
        ("1 tỉ", 1_000_000_000),
        ("1 ty", 1_000_000_000),
        ("1 xị", 100_000),
        # tails and halves
        ("3tr5", 3_500_000),
        ("3 triệu 5", 3_500_000),
        ("3 triệu rưỡi", 3_500_000),
        ("3 trieu ruoi", 3_500_000),
        ("3,5 triệu", 3_500_000),
        ("3.5tr", 3_500_000),
        ("2tr250", 2_250_000),
        ("2 triệu 250", 2_250_000),
        ("1k5", 1_500),
        ("1tr05", 1_050_000),
        ("6 triệu 800", 6_800_000),
        ("2tr500k", 2_500_000),
        ("2 triệu 500 nghìn", 2_500_000),
        ("1 tỷ 2", 1_200_000_000),
        ("1 tỷ 200 triệu", 1_200_000_000),
        ("nửa triệu", 500_000),
        ("nửa củ", 500_000),
        ("1 củ rưỡi", 1_500_000),
        ("1 xị rưỡi", 150_000),
        ("triệu rưỡi", 1_500_000),
        ("triệu hai", 1_200_000),
        # separators
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1500000", 1_500_000),
        ("1.500.000đ", 1_500_000),
        ("1 500 000 đồng", 1_500_000),
        ("1.500.000 VND", 1_500_000),
        ("1.500.000 vnđ", 1_500_000),
        ("1 500 đồng", 1_500),
        ("15.000", 15_000),
        # bare numbers below 1000 are thousands
        ("500", 500_000),
        ("20", 20_000),
        ("230", 230_000),
        # written out
        ("hai trăm nghìn", 200_000),
        ("hai tram nghin", 200_000),
        ("năm chục", 50_000),
        ("5 chục", 50_000),
        ("năm trăm", 500_000),
        ("5 trăm", 500_000),
        ("một trăm rưỡi", 150_000),
        ("một triệu hai", 1_200_000),
        ("1 triệu 2", 1_200_000),
        ("mười lăm triệu", 15_000_000),
        ("muoi lam trieu", 15_000_000),
        ("hai mươi lăm nghìn", 25_000),
        ("hai mươi mốt triệu", 21_000_000),
        ("ba mươi tư nghìn", 34_000),
        ("một trăm linh năm nghìn", 105_000),
        ("một trăm lẻ năm nghìn", 105_000),
        ("hai trăm rưỡi", 250_000),
        ("trăm hai", 120_000),
        ("một triệu mốt", 1_100_000),
        ("một triệu tư", 1_400_000),
        ("bốn triệu tám", 4_800_000),
        ("hai triệu năm trăm nghìn", 2_500_000),
        ("một triệu hai trăm", 1_200_000),
        ("ba triệu năm mươi nghìn", 3_050_000),
        ("hai chục triệu", 20_000_000),
        ("mười nghìn", 10_000),
        ("chục nghìn", 10_000),
    ],
)
def test_parse_amount(text: str, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    "text",
    [
        "",
        "xin chào",
        "0912345678",
        "2026",
        "15/3",
        "hai",
        "ba",
        "mười",
        "3 con",
        "20 ký",
        "200k 300k",
        "10%",
        "05",
        "0k",
        "vài triệu",
    ],
)
def test_not_a_single_amount(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("bán 2 con heo 6 triệu", [6_000_000]),
        ("bán 20 ký cá 1 triệu 2", [1_200_000]),
        ("mua 3 bao phân 1tr", [1_000_000]),
        ("bán 100 trái dừa 500 ngàn", [500_000]),
        ("mua 2 heo 5 triệu", [5_000_000]),
        ("bán heo 5 triệu 2 con", [5_000_000]),
        ("mua rau 20 thịt 50", [20_000, 50_000]),
        ("bán 5 chục trứng 150k", [150_000]),
        ("bán 3 củ khoai 20k", [20_000]),
        ("vay 5 triệu 12 tháng", [5_000_000]),
        ("lớp 9 học phí 1tr", [1_000_000]),
        ("tôi ở ấp 3", []),
        ("nhà có 5 người", []),
        ("tôi 45 tuổi", []),
        ("gọi 0912345678", []),
        ("gọi 0912 345 678", []),
        ("gọi +84 912 345 678", []),
        ("năm 2026 bán heo 3 triệu", [3_000_000]),
        ("bán heo 2026", []),
        ("ngày 15/3 bán heo 3 triệu", [3_000_000]),
        ("lãi 1,2% một tháng", []),
        ("bán heo 3 triệu, mua cám 500k", [3_000_000, 500_000]),
        ("200k", [200_000]),
        ("ngày 5 đóng tiền điện 200k", [200_000]),
    ],
)
def test_counts_labels_and_sums(text: str, amounts: list[int]) -> None:
    assert list(parse_message(text, today=TODAY).amounts) == amounts


def test_absurd_numbers_are_too_large_not_errors() -> None:
    for text in [
        "bán heo " + "9" * 40,
        "bán heo 10^40",
        "bán heo " + "9" * 5000 + " triệu",
        "bán heo 999999999999 tỷ",
    ]:
        result = parse_message(text, today=TODAY)
        assert result.entries == ()
        assert result.clarify is not None
        assert result.clarify.reason == "too_large"


def test_ceiling_is_a_parameter() -> None:
    result = parse_message("bán heo 3 triệu", today=TODAY, ceiling=1_000_000)
    assert result.clarify is not None and result.clarify.reason == "too_large"
    assert result.clarify.amount == 3_000_000
    assert result.amounts == (3_000_000,)
    assert parse_message("bán heo 3 triệu", today=TODAY, ceiling=3_000_000).entries


def test_foreign_currency_asks_back() -> None:
    result = parse_message("con gửi về 500 đô", today=TODAY)
    assert result.clarify is not None and result.clarify.reason == "unreadable"
