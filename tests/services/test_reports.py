"""The monthly report: figures, per-household rows and the workbook, on known entries."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.services.people.registry import RegistryError, add_area, add_household
from bot.services.rendering.report_book import to_xlsx
from bot.services.reports.reports import MonthlyReport, monthly_report
from models import Alert, Case, Contact, Entry, Household, Loan, Meeting, MeetingInvite
from tests.cli.test_cli import sinhke

NOVEMBER = date(2026, 11, 1)
NOW = datetime(2026, 12, 2, tzinfo=UTC)


def at(day: int, hour: int = 3, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def _household(
    session: AsyncSession, name: str, members: int, area: str, *, urban: bool = False
) -> int:
    created = await add_household(
        session, name=name, members=members, area=area, urban=urban, now=NOW, ttl_days=30
    )
    return created.id


def _entry(household_id: int, kind: str, amount: int, category: str, day: date) -> Entry:
    return Entry(household_id=household_id, kind=kind, amount=amount, category=category, day=day)


@pytest.fixture
async def seeded(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Commune C1 (with hamlet H1) and commune C2 in province P1; province P2 elsewhere.

    * An (C1, 4 people, rural, joined): income 9 000 000, production 2 000 000, food
      1 000 000 in November; a deleted income and an October income that don't count.
    * Bình (hamlet H1, 3 people, urban): wage 4 500 000, food 600 000; a production loan
      of 10 000 000 from October, 2 000 000 repaid; since the loan: production 1 000 000
      (October) and food 600 000 (outside its purpose).
    * Chi (C1): nothing written; one alert resolved in 30 hours, one still open.
    * Dũng (C2) and Em (P2's commune): large incomes that a C1 report must not count.
    """
    async with transaction(sessions) as session:
        await add_area(session, code="P1", name="Tỉnh Thử", kind="province")
        await add_area(session, code="C1", name="Xã Một", kind="commune", parent="P1")
        await add_area(session, code="H1", name="Thôn Đông", kind="hamlet", parent="C1")
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
        await add_area(session, code="P2", name="Tỉnh Khác", kind="province")
        await add_area(session, code="X1", name="Xã Khác", kind="commune", parent="P2")
        an = await _household(session, "Nguyễn Văn An", 4, "C1")
        binh = await _household(session, "Trần Thị Bình", 3, "H1", urban=True)
        chi = await _household(session, "Lê Văn Chi", 5, "C1")
        dung = await _household(session, "Phạm Dũng", 2, "C2")
        em = await _household(session, "Hồ Em", 2, "X1")
        session.add(
            Contact(
                channel="telegram",
                address="1",
                household_id=an,
                consent_version="2026-11",
                consent_at=at(1, month=10),
            )
        )
        loan = Loan(
            household_id=binh,
            lender="Ngân hàng Chính sách xã hội",
            purpose="nuôi heo",
            purpose_categories="production",
        )
        session.add(loan)
        await session.flush()
        borrowed = _entry(binh, "borrow", 10_000_000, "loan", date(2026, 10, 15))
        borrowed.loan_id = loan.id
        session.add(borrowed)
        deleted = _entry(an, "income", 5_000_000, "crop", date(2026, 11, 9))
        deleted.deleted_at = at(9)
        repay = _entry(binh, "repay", 2_000_000, "loan", date(2026, 11, 25))
        repay.loan_id = loan.id
        session.add_all(
            [
                _entry(an, "income", 9_000_000, "crop", date(2026, 11, 3)),
                _entry(an, "expense", 2_000_000, "production", date(2026, 11, 4)),
                _entry(an, "expense", 1_000_000, "food", date(2026, 11, 28)),
                deleted,
                _entry(an, "income", 1_000_000, "crop", date(2026, 10, 30)),
                _entry(binh, "income", 4_500_000, "wage", date(2026, 11, 10)),
                _entry(binh, "expense", 600_000, "food", date(2026, 11, 11)),
                _entry(binh, "expense", 1_000_000, "production", date(2026, 10, 20)),
                repay,
                _entry(dung, "income", 50_000_000, "business", date(2026, 11, 5)),
                _entry(em, "income", 70_000_000, "business", date(2026, 11, 5)),
                Alert(
                    rule="inactive",
                    cause_key="a1",
                    household_id=chi,
                    raised_at=at(2, 8),
                    status="resolved",
                    resolved_at=at(3, 14),
                ),
                Alert(rule="inactive", cause_key="a2", household_id=chi, raised_at=at(20)),
                Alert(rule="inactive", cause_key="a3", household_id=dung, raised_at=at(20)),
                Case(
                    household_id=an,
                    topic="help",
                    text="cần giúp",
                    opened_at=at(5),
                    answered_at=at(6),
                    status="answered",
                ),
            ]
        )
        c1 = await session.scalar(select(Household.area_id).where(Household.id == an))
        meeting = Meeting(area_id=c1, starts_at=at(10, 2), place="Nhà văn hóa", held=True)
        session.add(meeting)
        await session.flush()
        for household_id, attended in ((an, True), (binh, False), (chi, None)):
            session.add(
                MeetingInvite(meeting_id=meeting.id, household_id=household_id, attended=attended)
            )
    return {"an": an, "binh": binh, "chi": chi, "dung": dung, "em": em}


async def _report(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, area: str
) -> MonthlyReport:
    async with sessions() as session:
        return await monthly_report(session, area_code=area, month=NOVEMBER, settings=settings)


async def test_commune_summary(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, seeded: dict[str, int]
) -> None:
    report = await _report(sessions, settings, "C1")
    area = report.summary
    assert (area.code, report.period.start, report.period.end) == (
        "C1",
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert report.line.decree == "07/2021/NĐ-CP"
    assert (area.households, area.joined, area.writing) == (3, 1, 2)
    assert (area.above_line, area.below_line, area.no_data) == (1, 1, 1)
    assert (area.income, area.spending, area.production_cost) == (13_500_000, 3_600_000, 2_000_000)
    assert area.members_writing == 7
    assert area.income_per_person == 13_500_000 // 7
    assert area.spending_per_person == 3_600_000 // 7
    assert area.net_per_person == 11_500_000 // 7
    assert (area.loans_open, area.loans_amount, area.loans_owed) == (1, 10_000_000, 8_000_000)
    assert (area.loans_disbursed, area.loans_disbursed_amount) == (0, 0)
    assert area.loan_outside_share == pytest.approx(600_000 / 1_600_000)
    assert area.loans_misused == 0
    assert (area.alerts_raised, area.alerts_resolved, area.alerts_open) == (2, 1, 1)
    assert area.median_hours_to_resolve == pytest.approx(30.0)
    assert (area.cases_opened, area.cases_answered) == (1, 1)
    assert (area.meetings_held, area.meeting_invited, area.meeting_attended) == (1, 3, 1)
    assert [(a.code, a.depth, a.households) for a in report.areas] == [("H1", 1, 1)]
    assert dict(report.income_by_category) == {"crop": 9_000_000, "wage": 4_500_000}
    assert dict(report.spending_by_category) == {"production": 2_000_000, "food": 1_600_000}


async def test_household_rows(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, seeded: dict[str, int]
) -> None:
    report = await _report(sessions, settings, "C1")
    rows = {row.head_name: row for row in report.households}
    assert sorted(rows) == ["Lê Văn Chi", "Nguyễn Văn An", "Trần Thị Bình"]
    an, binh, chi = rows["Nguyễn Văn An"], rows["Trần Thị Bình"], rows["Lê Văn Chi"]
    assert (an.income, an.production_cost, an.other_spending) == (9_000_000, 2_000_000, 1_000_000)
    assert (an.per_person, an.line, an.above, an.entries) == (1_750_000, 1_500_000, True, 3)
    assert (an.last_entry, an.joined, an.commune, an.hamlet) == (
        date(2026, 11, 28),
        True,
        "Xã Một",
        "",
    )
    assert (binh.per_person, binh.line, binh.above) == (1_500_000, 2_000_000, False)
    assert (binh.loans_owed, binh.commune, binh.hamlet, binh.entries) == (
        8_000_000,
        "Xã Một",
        "Thôn Đông",
        3,
    )
    assert (chi.entries, chi.above, chi.last_entry, chi.open_alerts) == (0, None, None, 1)
    # Bình's repayment is money that moved, neither income nor spending.
    assert (binh.moved, binh.income, binh.spending) == ({"repay": 2_000_000}, 4_500_000, 600_000)
    assert an.moved == {}
    assert report.summary.moved == {"repay": 2_000_000}


async def test_province_rolls_up_its_communes_and_not_other_provinces(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, seeded: dict[str, int]
) -> None:
    report = await _report(sessions, settings, "P1")
    assert report.summary.households == 4
    assert report.summary.income == 13_500_000 + 50_000_000
    assert report.summary.alerts_raised == 3
    assert [(a.code, a.depth, a.households, a.income) for a in report.areas] == [
        ("C1", 1, 3, 13_500_000),
        ("H1", 2, 1, 4_500_000),
        ("C2", 1, 1, 50_000_000),
    ]


async def test_unknown_area(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    with pytest.raises(RegistryError, match="no area with code 'NOPE'"):
        await _report(sessions, settings, "NOPE")


def _labelled(sheet: Worksheet) -> dict[str, Any]:
    """Column A's labels and column B's values, the first of each label."""
    figures: dict[str, Any] = {}
    for label, value in sheet.iter_rows(max_col=2, values_only=True):
        if label:
            figures.setdefault(label, value)
    return figures


def _table(sheet: Worksheet) -> list[dict[str, Any]]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


async def test_workbook(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    seeded: dict[str, int],
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(to_xlsx(await _report(sessions, settings, "C1")))
    book = load_workbook(path)
    assert book.sheetnames == ["Tổng hợp", "Hộ gia đình"]

    summary = book["Tổng hợp"]
    figures = _labelled(summary)
    assert figures["Địa bàn"] == "Xã Một (C1)"
    assert figures["Từ ngày"] == datetime(2026, 11, 1)
    assert figures["Đến ngày"] == datetime(2026, 11, 30)
    assert "07/2021/NĐ-CP" in figures["Chuẩn nghèo áp dụng"]
    assert figures["Chuẩn nghèo nông thôn (đồng/người/tháng)"] == 1_500_000
    assert figures["Số hộ trong chương trình"] == 3
    assert figures["Số hộ có ghi sổ trong tháng"] == 2
    assert figures["Số hộ trên chuẩn nghèo"] == 1
    assert figures["Số hộ dưới chuẩn nghèo"] == 1
    assert figures["Tổng thu"] == 13_500_000
    assert figures["Tổng chi"] == 3_600_000
    net = figures["Thu nhập bình quân người/tháng (thu − chi sản xuất − trả lãi)"]
    assert net == 11_500_000 // 7
    assert figures["Dư nợ còn lại cuối tháng (đồng)"] == 8_000_000
    assert figures["Tỷ lệ chi tiêu ngoài mục đích vay (từ khi giải ngân)"] == 0.375
    assert figures["Thời gian xử lý (trung vị, giờ)"] == 30
    assert figures["Số lượt hộ tham dự"] == 1
    money = next(row for row in summary.iter_rows(max_col=2) if row[0].value == "Tổng thu")[1]
    assert money.number_format == "#,##0"
    start = next(row for row in summary.iter_rows(max_col=2) if row[0].value == "Từ ngày")[1]
    assert start.number_format == "dd/mm/yyyy"

    households = book["Hộ gia đình"]
    assert households.freeze_panes == "A2"
    assert households.auto_filter.ref == "A1:Y4"
    rows = {row["Chủ hộ"]: row for row in _table(households)}
    an = rows["Nguyễn Văn An"]
    assert (an["Thu (đồng)"], an["Chi sản xuất (đồng)"], an["Chi khác (đồng)"]) == (
        9_000_000,
        2_000_000,
        1_000_000,
    )
    assert (an["Thu nhập bình quân người/tháng"], an["Chuẩn nghèo"]) == (1_750_000, 1_500_000)
    assert (an["So với chuẩn"], an["Đã tham gia"], an["Diện hộ"]) == ("Trên chuẩn", "Có", "Nghèo")
    assert an["Ghi gần nhất"] == datetime(2026, 11, 28)
    binh = rows["Trần Thị Bình"]
    assert (binh["So với chuẩn"], binh["Chuẩn nghèo"], binh["Thôn, ấp"]) == (
        "Dưới chuẩn",
        2_000_000,
        "Thôn Đông",
    )
    assert binh["Dư nợ vay còn lại (đồng)"] == 8_000_000
    assert rows["Lê Văn Chi"]["So với chuẩn"] == "Chưa có số liệu"
    assert rows["Lê Văn Chi"]["Cảnh báo đang mở"] == 1
    assert households["I2"].number_format == "#,##0"

    with zipfile.ZipFile(path) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 2


async def test_workbook_in_english(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, seeded: dict[str, int]
) -> None:
    data = to_xlsx(await _report(sessions, settings, "C1"), locale="en")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Summary", "Households"]
    assert _labelled(book["Summary"])["Total income"] == 13_500_000


async def test_cli_writes_the_workbook(
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
    seeded: dict[str, int],
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    out = tmp_path / "c1.xlsx"
    result = sinhke(
        "report", "monthly", "--area", "C1", "--month", "2026-11", "--out", str(out), config=config
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{out}: Xã Một (C1) 2026-11: households 3, writing 2, areas below 1"
    )
    assert _labelled(load_workbook(out)["Tổng hợp"])["Tổng thu"] == 13_500_000

    for args, problem in (
        (("--area", "NOPE", "--month", "2026-11"), "no area with code 'NOPE'"),
        (("--area", "C1", "--month", "2026-13"), "--month '2026-13': use YYYY-MM, e.g. 2026-11"),
    ):
        result = sinhke("report", "monthly", *args, "--out", str(out), config=config)
        assert (result.returncode, result.stderr.strip()) == (2, f"sinhke: {problem}")
