"""Issue 15, what counts and months: a household's month with wages, a loan with interest
and a repayment, lending, hụi and savings, written in chat; /thang, the monthly report and
the alerts count only income and spending, show the moving money apart, name the month
asked for, and judge income per person with care early in a month."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.i18n import translator
from bot.services.alerts import alerts
from bot.services.diary.labels import kind_label
from models import Alert, Entry, Household
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_programme,
)

T = translator("vi")

# November 2026 of a rural household of four, as it writes it.  Per day: the message and
# what it must be recorded as (kind, đồng).
NOVEMBER = [
    (3, "lãnh lương 4 triệu", ("income", 4_000_000)),
    (5, "làm cỏ mướn được 300k", ("income", 300_000)),
    (6, "đi làm mướn 250 ngàn", ("income", 250_000)),
    (7, "vay ngân hàng chính sách 30 triệu nuôi bò", ("borrow", 30_000_000)),
    (8, "mua 2 bao phân mỗi bao 400k", ("expense", 800_000)),
    (10, "đi chợ 150k", ("expense", 150_000)),
    (12, "tiền học cho bé 1 triệu rưỡi", ("expense", 1_500_000)),
    (15, "trả lãi ngân hàng chính sách 300k", ("interest", 300_000)),
    (16, "cho hàng xóm mượn 3 triệu", ("lend", 3_000_000)),
    (18, "góp hụi 2 triệu", ("save", 2_000_000)),
    (20, "hốt hụi 10 triệu", ("withdraw", 10_000_000)),
    (22, "trả nợ ngân hàng chính sách 1 triệu", ("repay", 1_000_000)),
    (25, "hàng xóm trả lại 1 triệu", ("collect", 1_000_000)),
    (26, "bán 30 ký cá lóc giá 70 ngàn 1 ký", ("income", 2_100_000)),
    (27, "tiền điện 230", ("expense", 230_000)),
]
# Checked by hand:
INCOME = 4_000_000 + 300_000 + 250_000 + 2_100_000  # 6 650 000
SPENDING = 800_000 + 150_000 + 1_500_000 + 230_000 + 300_000  # 2 980 000, interest included
PER_PERSON = (INCOME - 800_000 - 300_000) // 4  # 1 387 500: below the 1 500 000 line
MOVED = {
    "borrow": 30_000_000,
    "repay": 1_000_000,
    "interest": 300_000,
    "lend": 3_000_000,
    "collect": 1_000_000,
    "save": 2_000_000,
    "withdraw": 10_000_000,
}


def money(amount: int) -> str:
    return T.money(amount)


def local_morning(day: date) -> datetime:
    """10:00 in Vietnam on ``day``."""
    return datetime(day.year, day.month, day.day, 3, tzinfo=UTC)


class Home:
    """A joined household of four and its officer, on a clock the test moves."""

    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings, self.sessions = settings, sessions
        self.clock = FixedClock(local_morning(date(2026, 11, 1)))
        self.channel = MemoryChannel()
        self.app = make_app(settings, sessions, self.channel, self.clock)
        self.chat = Dialog(self.app, self.channel, "300")
        self.officer = Dialog(self.app, self.channel, "100")
        self.said = 0

    async def join(self) -> None:
        programme = await seed_programme(self.sessions, members=4)
        await joined_household(self.chat, programme.households[0].invite)
        await joined_household(self.officer, programme.officer.invite)

    async def on(self, day: date, text: str) -> str:
        """Say ``text`` on ``day``, a minute after the last message (never in a burst)."""
        self.said += 1
        self.clock.now = local_morning(day) + timedelta(minutes=self.said)
        return await self.chat.text(text)

    async def write_november(self) -> None:
        for day, text, _ in NOVEMBER:
            answer = await self.on(date(2026, 11, day), text)
            assert "Đã ghi" in answer, (text, answer)
            if "khi nào phải trả" in answer:
                await self.chat.press("due:12")


async def household(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Home:
    found = Home(settings, sessions)
    await found.join()
    return found


async def test_a_month_of_the_household_written_in_chat(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    home = await household(settings, sessions)
    await home.write_november()
    async with sessions() as session:
        written = [
            (e.day.day, e.kind, e.amount)
            for e in await session.scalars(
                select(Entry).where(Entry.deleted_at.is_(None)).order_by(Entry.day)
            )
        ]
    assert written == [(day, *expected) for day, _, expected in NOVEMBER]

    month = await home.on(date(2026, 11, 29), "/thang")
    assert month.startswith("Tháng này (11/2026):")
    assert f"Tiền vào: {money(INCOME)}\n" in month
    assert f"Tiền ra: {money(SPENDING)} (có {money(300_000)} tiền lãi)\n" in month
    assert f"Còn dư: {money(INCOME - SPENDING)}\n" in month
    # The month fits the style guide's eight lines: the moving money on one line.
    assert "Tiền vay, cho mượn, hụi, tiết kiệm: " in month
    for kind, amount in MOVED.items():
        assert f"{kind_label(T, kind)} {money(amount)}" in month, kind
    assert (
        f"Tháng này, tính đến hôm nay, mỗi người trong nhà có khoảng {money(PER_PERSON)}: "
        f"dưới chuẩn nghèo {money(1_500_000)} một người một tháng."
    ) in month
    assert "Nghị định" not in month and "(thu trừ" not in month
    assert (
        f"Chi nhiều nhất: Học hành {money(1_500_000)}, Chi sản xuất {money(800_000)}, "
        f"Điện, nước, liên lạc {money(230_000)}"
    ) in month

    # A week and a day show the moving money in one line when there was some.
    week = (await home.on(date(2026, 11, 20), "/tuan")).splitlines()  # Monday 16 – 22/11
    assert week[:4] == [
        "Tuần này (16/11/2026 – 22/11/2026):",
        f"Tiền vào: {money(0)}",
        f"Tiền ra: {money(0)}",
        f"Còn dư: {money(0)}",
    ]
    moved = ("repay", 1_000_000), ("lend", 3_000_000), ("save", 2_000_000), ("withdraw", 10_000_000)
    items = " · ".join(f"{kind_label(T, kind)} {money(amount)}" for kind, amount in moved)
    assert week[4:] == [f"Tiền vay, cho mượn, hụi, tiết kiệm: {items}"]
    interest_week = await home.on(date(2026, 11, 15), "/tuan")  # 9–15/11
    assert f"Tiền ra: {money(1_950_000)} (có {money(300_000)} tiền lãi)" in interest_week
    today = (await home.on(date(2026, 11, 27), "/homnay")).splitlines()
    assert today[1:] == [
        f"Tiền vào: {money(0)}",
        f"Tiền ra: {money(230_000)}",
        f"Thiếu {money(230_000)}: chi nhiều hơn thu",
        f"Chi nhiều nhất: Điện, nước, liên lạc {money(230_000)}",
    ]

    # The officer's view of the household says the same.
    seen = await home.officer.text(f"/ho {await _code(sessions)}")
    assert f"Tiền vào: {money(INCOME)}" in seen and f"{money(PER_PERSON)}: dưới chuẩn" in seen


async def _code(sessions: async_sessionmaker[AsyncSession]) -> str:
    async with sessions() as session:
        code = await session.scalar(select(Household.code))
    assert code is not None
    return code


async def test_the_monthly_report_counts_the_same_and_shows_the_moving_money_apart(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    home = await household(settings, sessions)
    await home.write_november()
    home.clock.now = local_morning(date(2026, 12, 2))
    [report] = [r for r in await home.officer.say("/baocao 11/2026") if r.attachment]
    assert report.attachment is not None
    book = load_workbook(io.BytesIO(report.attachment.data))

    figures = _labelled(book["Tổng hợp"])
    assert figures["Tổng thu"] == INCOME
    assert figures["Tổng chi"] == SPENDING
    assert figures["Trong đó chi sản xuất"] == 800_000
    assert figures["Trong đó trả lãi"] == 300_000
    assert figures["Thu nhập bình quân người/tháng (thu − chi sản xuất − trả lãi)"] == PER_PERSON
    assert figures["Số hộ dưới chuẩn nghèo"] == 1
    for kind, amount in MOVED.items():
        if kind != "interest":
            assert figures[kind_label(T, kind)] == amount, kind

    header, *rows = book["Hộ gia đình"].iter_rows(values_only=True)
    [row] = [dict(zip(header, values, strict=True)) for values in rows]
    assert row["Thu (đồng)"] == INCOME
    assert row["Chi sản xuất (đồng)"] == 800_000
    assert row["Chi khác (đồng)"] == 150_000 + 1_500_000 + 230_000
    assert row["Trả lãi (đồng)"] == 300_000
    assert row["Thu nhập bình quân người/tháng"] == PER_PERSON
    assert row["So với chuẩn"] == "Dưới chuẩn"
    assert row["Dư nợ vay còn lại (đồng)"] == 29_000_000
    for kind, amount in MOVED.items():
        if kind != "interest":
            assert row[f"{kind_label(T, kind)} (đồng)"] == amount, kind


def _labelled(sheet: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for label, value in sheet.iter_rows(max_col=2, values_only=True):
        if label:
            figures.setdefault(label, value)
    return figures


# --- months -----------------------------------------------------------------------------


async def test_a_month_named_is_the_month_shown(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    home = await household(settings, sessions)
    await home.write_november()
    await home.on(date(2026, 12, 1), "bán trứng 200k")
    # Many more phrasings are read in tests/handlers/test_summary.py; a flood of messages
    # in a few seconds would be answered with a notice, so a sample here.
    for asked in (
        "/thang 11/2026",
        "/thang 11",
        "/thang 11/26",
        "tháng trước",
        "thang truoc",
        "thang 11/2026",
    ):
        shown = await home.on(date(2026, 12, 2), asked)
        assert shown.startswith("Tháng 11/2026:\n"), (asked, shown)
        assert "Tháng này" not in shown, asked
        assert f"Tiền vào: {money(INCOME)}" in shown, asked
        # November is over: it is judged whole, whatever the day it is asked on.
        assert f"Tháng 11/2026 mỗi người trong nhà có khoảng {money(PER_PERSON)}" in shown

    for asked in ("/thang", "thang nay", "tháng 12"):
        shown = await home.on(date(2026, 12, 2), asked)
        assert shown.startswith("Tháng này (12/2026):\n"), (asked, shown)
        assert f"Tiền vào: {money(200_000)}" in shown


async def test_months_without_entries_to_come_or_not_months(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    home = await household(settings, sessions)
    await home.on(date(2026, 12, 1), "bán trứng 200k")
    october = await home.on(date(2026, 12, 2), "tháng 10")
    assert october.startswith("Tháng 10/2026:\nChưa ghi khoản nào."), october
    january = await home.on(date(2026, 12, 2), "thang 1")  # the latest January: this year's
    assert january.startswith("Tháng 01/2026:"), january
    future = await home.on(date(2026, 12, 2), "/thang 1/2027")
    assert future.startswith("Tháng 01/2027 chưa tới ạ."), future
    assert "/thang 11/2026" in future
    wrong = await home.on(date(2026, 12, 2), "/thang 13/2026")
    assert "/thang 11/2026" in wrong and "Tháng 13" not in wrong
    # A diary message that starts with a month is still a diary message.
    assert "Đã ghi" in await home.on(date(2026, 12, 2), "tháng 11 bán lúa 12tr")


async def test_early_in_a_month_no_verdict_from_two_days(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    home = await household(settings, sessions)
    await home.on(date(2026, 11, 1), "bán trứng 300k")
    await home.on(date(2026, 11, 2), "lãnh lương 2 triệu")
    await home.on(date(2026, 11, 20), "bán heo 8 triệu")
    await home.on(date(2026, 12, 1), "bán trứng 200k")
    await home.on(date(2026, 12, 2), "mua cám 400k")

    early = await home.on(date(2026, 12, 2), "/thang")
    assert "chuẩn nghèo" in early
    assert "dưới chuẩn" not in early and "trên chuẩn" not in early, early
    assert f"Tháng này mới được 2 ngày, mỗi người trong nhà có khoảng {money(0)}." in early, early
    assert f"Từ ngày 10, bot so với chuẩn nghèo {money(1_500_000)}" in early
    # The same two days of November: 2 300 000 ÷ 4.
    assert f"Cùng 2 ngày đầu tháng 11/2026: khoảng {money(575_000)} mỗi người." in early

    await home.on(date(2026, 12, 9), "bán trứng 100k")
    assert "Tháng này mới được 9 ngày" in await home.on(date(2026, 12, 9), "/thang")
    judged = await home.on(date(2026, 12, 10), "/thang")
    assert "mới được" not in judged
    # (200 000 + 100 000 − 400 000) ÷ 4 is below zero: shown as 0.
    assert f"Tháng này, tính đến hôm nay, mỗi người trong nhà có khoảng {money(0)}: dưới" in judged

    # A month already over is judged whole, even on the 2nd of the next one.
    november = await home.on(date(2026, 12, 2), "tháng trước")
    assert f"Tháng 11/2026 mỗi người trong nhà có khoảng {money(10_300_000 // 4)}: trên" in (
        november
    )


async def test_the_day_of_the_verdict_is_a_setting(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    settings.programme.poverty_verdict_days = 2
    home = await household(settings, sessions)
    await home.on(date(2026, 12, 1), "lãnh lương 8 triệu")
    assert "mới được 1 ngày" in await home.on(date(2026, 12, 1), "/thang")
    judged = await home.on(date(2026, 12, 2), "/thang")
    assert f"khoảng {money(2_000_000)}: trên chuẩn nghèo" in judged


# --- alerts -----------------------------------------------------------------------------


async def _write(
    sessions: async_sessionmaker[AsyncSession], household_id: int, rows: list[tuple[Any, ...]]
) -> None:
    async with transaction(sessions) as session:
        for day, kind, category, amount in rows:
            session.add(
                Entry(
                    household_id=household_id,
                    kind=kind,
                    amount=amount,
                    category=category,
                    day=day,
                )
            )


async def _joined(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> int:
    """A joined household (alerts watch only those); its id."""
    home = await household(settings, sessions)
    del home
    async with sessions() as session:
        found = await session.scalar(select(Household.id))
    assert found is not None
    return found


async def _raised(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    async with transaction(sessions) as session:
        await alerts.scan(session, settings, datetime(2026, 12, 2, 3, tzinfo=UTC))
    async with sessions() as session:
        return set(await session.scalars(select(Alert.rule)))


async def test_a_loan_does_not_hide_a_deficit(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    household_id = await _joined(settings, sessions)
    await _write(
        sessions,
        household_id,
        [
            # Two months spending more than earning, with interest on top: a deficit,
            # whatever was borrowed, collected or taken out of the hụi meanwhile.
            (date(2026, 10, 5), "income", "wage", 3_000_000),
            (date(2026, 10, 6), "expense", "food", 2_900_000),
            (date(2026, 10, 7), "interest", "loan", 300_000),
            (date(2026, 10, 8), "borrow", "loan", 30_000_000),
            (date(2026, 11, 5), "income", "wage", 3_000_000),
            (date(2026, 11, 6), "expense", "health", 3_500_000),
            (date(2026, 11, 9), "withdraw", "savings", 10_000_000),
            (date(2026, 11, 10), "collect", "lending", 2_000_000),
            (date(2026, 12, 1), "income", "wage", 100_000),
        ],
    )
    assert "deficit" in await _raised(settings, sessions)


async def test_hui_and_repayments_do_not_make_a_deficit(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    household_id = await _joined(settings, sessions)
    await _write(
        sessions,
        household_id,
        [
            # Earning more than spending both months; the money put aside, lent and repaid
            # is far larger, and spends nothing.
            (date(2026, 10, 5), "income", "wage", 4_000_000),
            (date(2026, 10, 6), "expense", "food", 3_000_000),
            (date(2026, 10, 9), "save", "savings", 2_000_000),
            (date(2026, 10, 10), "repay", "loan", 5_000_000),
            (date(2026, 11, 5), "income", "wage", 4_000_000),
            (date(2026, 11, 6), "expense", "food", 3_000_000),
            (date(2026, 11, 9), "save", "savings", 2_000_000),
            (date(2026, 11, 10), "lend", "lending", 3_000_000),
            (date(2026, 12, 1), "income", "wage", 100_000),
        ],
    )
    assert "deficit" not in await _raised(settings, sessions)


async def test_interest_alone_tips_a_month_into_deficit(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    household_id = await _joined(settings, sessions)
    await _write(
        sessions,
        household_id,
        [
            (date(2026, 10, 5), "income", "wage", 3_000_000),
            (date(2026, 10, 6), "expense", "food", 3_000_000),
            (date(2026, 10, 7), "interest", "loan", 200_000),
            (date(2026, 11, 5), "income", "wage", 3_000_000),
            (date(2026, 11, 6), "expense", "food", 2_900_000),
            (date(2026, 11, 7), "interest", "loan", 200_000),
            (date(2026, 12, 1), "income", "wage", 100_000),
        ],
    )
    assert "deficit" in await _raised(settings, sessions)


async def test_a_loan_or_a_payout_does_not_hide_an_income_drop(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    household_id = await _joined(settings, sessions)
    rows: list[tuple[Any, ...]] = [
        (date(2026, month, 5), "income", "crop", 6_000_000) for month in (8, 9, 10)
    ]
    rows += [
        (date(2026, 11, 5), "income", "crop", 1_000_000),
        (date(2026, 11, 6), "borrow", "loan", 20_000_000),
        (date(2026, 11, 7), "withdraw", "savings", 10_000_000),
        (date(2026, 11, 8), "collect", "lending", 5_000_000),
        (date(2026, 12, 1), "income", "wage", 100_000),
    ]
    await _write(sessions, household_id, rows)
    assert "income_drop" in await _raised(settings, sessions)


async def test_money_put_aside_before_does_not_make_an_income_drop(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    household_id = await _joined(settings, sessions)
    rows: list[tuple[Any, ...]] = [
        (date(2026, month, 5), "income", "crop", 3_000_000) for month in (8, 9, 10, 11)
    ]
    # Big hụi payouts and a loan in the three months before: not income to drop from.
    rows += [
        (date(2026, 8, 9), "withdraw", "savings", 20_000_000),
        (date(2026, 9, 9), "borrow", "loan", 30_000_000),
        (date(2026, 10, 9), "collect", "lending", 10_000_000),
        (date(2026, 12, 1), "income", "wage", 100_000),
    ]
    await _write(sessions, household_id, rows)
    assert "income_drop" not in await _raised(settings, sessions)
