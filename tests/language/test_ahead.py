"""Times and days ahead (bot/language/ahead.py): a reminder's time, a meeting's day and
time, a loan's due date, typed with and without diacritics."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.language.ahead import parse_due_date, parse_time, parse_when

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=VN)
TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:00", time(19)),
        ("19h", time(19)),
        ("19h00", time(19)),
        ("7h30", time(7, 30)),
        ("7h 30", time(7, 30)),
        ("7g30", time(7, 30)),
        ("7 giờ", time(7)),
        ("7 gio", time(7)),
        ("7giờ", time(7)),
        ("7 giờ 30", time(7, 30)),
        ("7 30", time(7, 30)),
        ("730", time(7, 30)),
        ("1930", time(19, 30)),
        ("7", time(7)),
        ("19", time(19)),
        ("0", time(0)),
        ("23:59", time(23, 59)),
        ("7 giờ tối", time(19)),
        ("7 gio toi", time(19)),
        ("7 GIỜ TỐI", time(19)),
        ("2 giờ chiều", time(14)),
        ("2 gio chieu", time(14)),
        ("7h30 sáng", time(7, 30)),
        ("7h30 sang", time(7, 30)),
        ("7 pm", time(19)),
        ("7 am", time(7)),
        ("19 tối", time(19)),  # already after noon
        ("nhắc tôi lúc 7 giờ tối nhé", time(19)),
        ("nhac toi luc 7 gio toi nhe", time(19)),
        ("lúc 8 giờ sáng mỗi ngày", time(8)),
        ("khoảng 9h tối nha", time(21)),
        ("tầm 6h sáng hằng ngày nhé", time(6)),
        ("cho em 20:30 nhen", time(20, 30)),
        ("7 giờ tối.", time(19)),
        ("19:00!", time(19)),
        ("vào lúc 5h chiều, nhé", time(17)),
    ],
)
def test_a_time_of_day(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "24",
        "25:00",
        "7:60",
        "99",
        "7.30",  # a sum, not a time
        "7 giờ 5",  # minutes are two figures
        "7 giờ rưỡi nữa",
        "12 giờ trưa",
        "bán heo 3 triệu",
        "tắt nhắc",
        "7 giờ tối mai đi chợ",
    ],
)
def test_not_a_time_of_day(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/12 14:00", datetime(2026, 12, 5, 14, tzinfo=VN)),
        ("5/12 14h", datetime(2026, 12, 5, 14, tzinfo=VN)),
        ("14h30 5/12", datetime(2026, 12, 5, 14, 30, tzinfo=VN)),
        ("lúc 2 giờ chiều, ngày 5.12", datetime(2026, 12, 5, 14, tzinfo=VN)),
        ("luc 2 gio chieu, ngay 5.12", datetime(2026, 12, 5, 14, tzinfo=VN)),
        ("ngày 5-12 vào lúc 8 giờ sáng", datetime(2026, 12, 5, 8, tzinfo=VN)),
        ("5 / 12 8:00", datetime(2026, 12, 5, 8, tzinfo=VN)),
        ("5/12/2027 8:00", datetime(2027, 12, 5, 8, tzinfo=VN)),
        ("5/12/27 8:00", datetime(2027, 12, 5, 8, tzinfo=VN)),
        ("10/01 8:00", datetime(2027, 1, 10, 8, tzinfo=VN)),  # January, typed in November
        ("29/11 08:00", datetime(2026, 11, 29, 8, tzinfo=VN)),  # earlier today: today's
    ],
)
def test_a_meeting_time(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["", "ngày mai", "05/12", "14:00", "31/02 14:00", "05/12 25:00", "05/13 8:00"]
)
def test_not_a_meeting_time(text: str) -> None:
    assert parse_when(text, NOW) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/6/2027", date(2027, 6, 30)),
        ("30/6/27", date(2027, 6, 30)),
        ("30/6", date(2026, 6, 30)),
        ("30.6", date(2026, 6, 30)),
        ("30-6", date(2026, 6, 30)),
        ("20/3", date(2027, 3, 20)),  # today's day: the next one
        ("1/1", date(2027, 1, 1)),
        ("12 tháng", date(2027, 3, 20)),
        ("12 thang", date(2027, 3, 20)),
        ("12thang", date(2027, 3, 20)),
        ("6 tháng nữa", date(2026, 9, 20)),
        ("6 thang toi", date(2026, 9, 20)),
        ("2 năm", date(2028, 3, 20)),
        ("2 nam nua", date(2028, 3, 20)),
        (" 3 tháng sau ", date(2026, 6, 20)),
    ],
)
def test_a_due_date(text: str, expected: date) -> None:
    assert parse_due_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "31/2", "tháng 6", "12 tháng rồi", "1000 tháng", "vay 12 tháng"]
)
def test_not_a_due_date(text: str) -> None:
    assert parse_due_date(text, today=TODAY) is None
