"""Dates and times of day: resolved against today, never in the future."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.language import parse_date, parse_message

FRIDAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hôm nay", FRIDAY),
        ("hom nay", FRIDAY),
        ("bữa nay", FRIDAY),
        ("hôm qua", date(2026, 3, 19)),
        ("hom qua", date(2026, 3, 19)),
        ("bữa qua", date(2026, 3, 19)),
        ("hôm kia", date(2026, 3, 18)),
        ("sáng nay", FRIDAY),
        ("tối qua", date(2026, 3, 19)),
        ("toi qua", date(2026, 3, 19)),
        ("sáng hôm qua", date(2026, 3, 19)),
        ("hồi sáng", FRIDAY),
        ("hồi tối", date(2026, 3, 19)),
        ("thứ hai", date(2026, 3, 16)),
        ("thứ 2", date(2026, 3, 16)),
        ("t2", date(2026, 3, 16)),
        ("thứ ba", date(2026, 3, 17)),
        ("thứ tư", date(2026, 3, 18)),
        ("thứ năm", date(2026, 3, 19)),
        ("thứ sáu", FRIDAY),  # today is a Friday: the latest Friday is today
        ("thứ bảy", date(2026, 3, 14)),
        ("thu bay", date(2026, 3, 14)),
        ("chủ nhật", date(2026, 3, 15)),
        ("cn", date(2026, 3, 15)),
        ("thứ hai tuần trước", date(2026, 3, 9)),
        ("15/3", date(2026, 3, 15)),
        ("20/3", FRIDAY),
        ("21/3", date(2025, 3, 21)),
        ("15/4", date(2025, 4, 15)),
        ("15/3/2026", date(2026, 3, 15)),
        ("15/3/26", date(2026, 3, 15)),
        ("15-3-2026", date(2026, 3, 15)),
        ("1/1/2025", date(2025, 1, 1)),
        ("ngày 15", date(2026, 3, 15)),
        ("ngày 25", date(2026, 2, 25)),
        ("ngày 31", date(2026, 1, 31)),
        ("mùng 5", date(2026, 3, 5)),
        ("ngày 15 tháng 3", date(2026, 3, 15)),
        ("2 ngày trước", date(2026, 3, 18)),
        ("3 hôm trước", date(2026, 3, 17)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, today=FRIDAY) == expected


@pytest.mark.parametrize(
    "text",
    # "15/5/2026" is ahead of today: never moved to a date that has been
    [
        "",
        "bán heo",
        "ngày mai",
        "tuần sau",
        "32/3",
        "31/2",
        "tôi",
        "thu 2 triệu",
        "sang",
        "15/5/2026",
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date(text, today=FRIDAY) is None


def test_leap_day_goes_back_to_the_last_leap_year() -> None:
    assert parse_date("29/2", today=FRIDAY) == date(2024, 2, 29)
    assert parse_date("29/2", today=date(2028, 3, 1)) == date(2028, 2, 29)


def test_never_in_the_future() -> None:
    for day in range(1, 32):
        for month in range(1, 13):
            found = parse_date(f"{day}/{month}", today=FRIDAY)
            assert found is None or found <= FRIDAY


@pytest.mark.parametrize(
    ("text", "day", "clock"),
    [
        ("bán heo 3 triệu", FRIDAY, None),
        ("hôm qua bán heo 3 triệu", date(2026, 3, 19), None),
        ("bán heo 3 triệu hôm qua", date(2026, 3, 19), None),
        ("sáng nay đi chợ 120k", FRIDAY, time(8, 0)),
        ("tối qua đi đám cưới 300k", date(2026, 3, 19), time(19, 0)),
        ("7h sáng đi chợ 100k", FRIDAY, time(7, 0)),
        ("7h30 đi chợ 100k", FRIDAY, time(7, 30)),
        ("19:30 đi chợ 100k", FRIDAY, time(19, 30)),
        ("bán heo 3 triệu lúc 2h chiều", FRIDAY, time(14, 0)),
        ("7 giờ tối đi chợ 100k", FRIDAY, time(19, 0)),
        ("lúc 9 giờ đi chợ 100k", FRIDAY, time(9, 0)),
        ("chiều thứ hai bán gà 400k", date(2026, 3, 16), time(15, 0)),
        ("15/3 bán heo 3 triệu", date(2026, 3, 15), None),
    ],
)
def test_entry_date_and_time(text: str, day: date, clock: time | None) -> None:
    (entry,) = parse_message(text, today=FRIDAY).entries
    assert entry.date == day
    assert entry.time == clock


def test_dates_carry_through_a_message() -> None:
    result = parse_message("hôm qua bán heo 4tr, mua cám 500k", today=FRIDAY)
    assert [e.date for e in result.entries] == [date(2026, 3, 19)] * 2
    result = parse_message("hôm qua bán heo 4tr, hôm nay mua cám 500k", today=FRIDAY)
    assert [e.date for e in result.entries] == [date(2026, 3, 19), FRIDAY]


def test_working_hours_are_not_a_time_of_day() -> None:
    (entry,) = parse_message("làm 8 giờ được 200k", today=FRIDAY).entries
    assert entry.time is None


def test_plans_record_nothing() -> None:
    for text in [
        "ngày mai bán heo 3 triệu",
        "mai bán heo 3 triệu",
        "tuần sau trả nợ 1 triệu",
        "sang năm vay 50 triệu",
    ]:
        result = parse_message(text, today=FRIDAY)
        assert not result.is_diary, text
