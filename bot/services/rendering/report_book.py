"""The monthly report as an Excel workbook: a summary sheet with charts, and one row per
household.

A module of its own because openpyxl (with numpy, which it loads) costs the bot process
about 20 MB: it is imported when a report is made, not when the bot starts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import N_, Translator, translator
from bot.plans.plans import PlanView, report_plans
from bot.plans.workbook import write_plan_sheet
from bot.services.diary.labels import (
    EXPENSE_CATEGORIES,
    INCOME_CATEGORIES,
    category_label,
    kind_label,
)
from bot.services.diary.ledger import MOVING_KINDS
from bot.services.rendering.xlsx_safe import workbook_bytes
from bot.services.reports.reports import (
    AREA_KIND_LABELS,
    DATE,
    HOURS,
    MONEY,
    PERCENT,
    STATUS_LABELS,
    AreaSummary,
    HouseholdRow,
    MonthlyReport,
    monthly_report,
)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True, slots=True)
class _Line:
    """One labelled row of the summary sheet; a ``None`` value leaves the cell empty."""

    label: str
    value: int | float | str | date | None
    number_format: str = MONEY


def to_xlsx(report: MonthlyReport, *, locale: str = "vi", plans: Sequence[PlanView] = ()) -> bytes:
    """The report as a workbook: a summary sheet with charts, one row per household, and
    the households' plans out of poverty when there are any."""
    t = translator(locale)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = t._("Tổng hợp")
    _write_summary(summary, report, t)
    _write_households(book.create_sheet(t._("Hộ gia đình")), report, t)
    if plans:
        write_plan_sheet(book.create_sheet(t._("Kế hoạch thoát nghèo")), list(plans), t)
    return workbook_bytes(book)  # names come from rosters: "=HYPERLINK(…)" stays text


def line_used(report: MonthlyReport, t: Translator) -> str:
    """Which poverty line the report used, in words."""
    line = report.line
    valid = t.date(line.valid_from) + " – " + (t.date(line.valid_to) if line.valid_to else "…")
    return t._("Nghị định {decree} (áp dụng {valid})").format(decree=line.decree, valid=valid)


def _write_summary(sheet: Worksheet, report: MonthlyReport, t: Translator) -> None:
    area = report.summary
    month = f"{report.period.start.month:02d}/{report.period.start.year}"
    sheet["A1"] = t._("{programme} — báo cáo tháng {month}").format(
        programme=report.programme, month=month
    )
    sheet["A1"].font = _TITLE
    row = _write_lines(sheet, 3, _header_lines(report, t))
    for title, lines in _summary_sections(area, t):
        sheet.cell(row=row + 1, column=1, value=title).font = _BOLD
        row = _write_lines(sheet, row + 2, lines)
    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["B"].width = 40
    _write_charts(sheet, report, t)
    if report.areas:
        _write_area_table(sheet, row + 1, report, t)


def _header_lines(report: MonthlyReport, t: Translator) -> list[_Line]:
    area, line = report.summary, report.line
    local = report.generated_at.replace(tzinfo=None)
    return [
        _Line(t._("Địa bàn"), f"{area.name} ({area.code})"),
        _Line(t._("Từ ngày"), report.period.start, DATE),
        _Line(t._("Đến ngày"), report.period.end, DATE),
        _Line(t._("Chuẩn nghèo áp dụng"), line_used(report, t)),
        _Line(t._("Chuẩn nghèo nông thôn (đồng/người/tháng)"), line.rural),
        _Line(t._("Chuẩn nghèo thành thị (đồng/người/tháng)"), line.urban),
        _Line(t._("Lập lúc"), local, "dd/mm/yyyy hh:mm"),
    ]


def _summary_sections(area: AreaSummary, t: Translator) -> list[tuple[str, list[_Line]]]:
    return [
        (
            t._("Hộ gia đình"),
            [
                _Line(t._("Số hộ trong chương trình"), area.households),
                _Line(t._("Số hộ đã tham gia (nối tài khoản, đồng ý)"), area.joined),
                _Line(t._("Số hộ có ghi sổ trong tháng"), area.writing),
                _Line(t._("Số hộ trên chuẩn nghèo"), area.above_line),
                _Line(t._("Số hộ dưới chuẩn nghèo"), area.below_line),
                _Line(t._("Số hộ chưa có số liệu trong tháng"), area.no_data),
            ],
        ),
        (
            t._("Thu chi (các hộ có ghi sổ, đồng)"),
            [
                _Line(t._("Tổng thu"), area.income),
                _Line(t._("Tổng chi"), area.spending),
                _Line(t._("Trong đó chi sản xuất"), area.production_cost),
                _Line(t._("Trong đó trả lãi"), area.interest),
                _Line(t._("Thu bình quân người/tháng"), area.income_per_person),
                _Line(t._("Chi bình quân người/tháng"), area.spending_per_person),
                _Line(
                    t._("Thu nhập bình quân người/tháng (thu − chi sản xuất − trả lãi)"),
                    area.net_per_person,
                ),
            ],
        ),
        (
            t._("Tiền vay, cho mượn, hụi, tiết kiệm (không tính vào thu chi, đồng)"),
            [_Line(kind_label(t, kind), area.moved[kind]) for kind in MOVING_KINDS],
        ),
        (
            t._("Vay vốn"),
            [
                _Line(t._("Khoản vay chưa tất toán"), area.loans_open),
                _Line(t._("Số tiền vay chưa tất toán (đồng)"), area.loans_amount),
                _Line(t._("Dư nợ còn lại cuối tháng (đồng)"), area.loans_owed),
                _Line(t._("Khoản vay giải ngân trong tháng"), area.loans_disbursed),
                _Line(t._("Số tiền giải ngân trong tháng (đồng)"), area.loans_disbursed_amount),
                _Line(
                    t._("Tỷ lệ chi tiêu ngoài mục đích vay (từ khi giải ngân)"),
                    area.loan_outside_share,
                    PERCENT,
                ),
                _Line(t._("Khoản vay có nhiều chi tiêu ngoài mục đích"), area.loans_misused),
            ],
        ),
        (
            t._("Cảnh báo và yêu cầu hỗ trợ"),
            [
                _Line(t._("Cảnh báo phát sinh trong tháng"), area.alerts_raised),
                _Line(t._("Cảnh báo đã xử lý trong tháng"), area.alerts_resolved),
                _Line(t._("Thời gian xử lý (trung vị, giờ)"), area.median_hours_to_resolve, HOURS),
                _Line(t._("Cảnh báo còn mở cuối tháng"), area.alerts_open),
                _Line(t._("Yêu cầu hỗ trợ mới"), area.cases_opened),
                _Line(t._("Yêu cầu đã trả lời"), area.cases_answered),
            ],
        ),
        (
            t._("Họp đối thoại"),
            [
                _Line(t._("Số buổi họp đã tổ chức"), area.meetings_held),
                _Line(t._("Số lượt hộ được mời"), area.meeting_invited),
                _Line(t._("Số lượt hộ tham dự"), area.meeting_attended),
                _Line(t._("Tỷ lệ tham dự"), area.attendance, PERCENT),
            ],
        ),
    ]


def _write_lines(sheet: Worksheet, row: int, lines: Sequence[_Line]) -> int:
    """Write label/value rows from ``row``; return the next free row."""
    for offset, line in enumerate(lines):
        sheet.cell(row=row + offset, column=1, value=line.label)
        cell = sheet.cell(row=row + offset, column=2, value=line.value)
        if isinstance(line.value, str):
            cell.alignment = Alignment(horizontal="left")
        else:
            cell.number_format = line.number_format
            cell.alignment = Alignment(horizontal="right")
    return row + len(lines)


def _write_charts(sheet: Worksheet, report: MonthlyReport, t: Translator) -> None:
    """Two tables beside the figures (columns D:F), each with a bar chart (from column H)."""
    row = _category_chart(sheet, 3, report, t)
    _standing_chart(sheet, row + 2, report.summary, t)
    for letter, width in (("D", 26), ("E", 16), ("F", 16)):
        sheet.column_dimensions[letter].width = width


def _category_chart(sheet: Worksheet, row: int, report: MonthlyReport, t: Translator) -> int:
    """Income and spending by category; return the first row below the table and chart."""
    categories = [
        (category_label(t, c), report.income_by_category[c], None)
        for c in INCOME_CATEGORIES
        if report.income_by_category[c]
    ] + [
        (category_label(t, c), None, report.spending_by_category[c])
        for c in EXPENSE_CATEGORIES
        if report.spending_by_category[c]
    ]
    end = _write_table(sheet, row, 4, (t._("Khoản"), t._("Thu"), t._("Chi")), categories)
    if not categories:
        return end + 1
    chart = _bar_chart(t._("Thu và chi theo khoản (đồng)"), "bar")
    chart.height = max(7.5, 0.55 * len(categories) + 3)
    data = Reference(sheet, min_col=5, max_col=6, min_row=row, max_row=end)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=4, min_row=row + 1, max_row=end))
    sheet.add_chart(chart, f"H{row}")
    return max(end, row + _rows_spanned(chart)) + 1


def _standing_chart(sheet: Worksheet, row: int, area: AreaSummary, t: Translator) -> None:
    counts = [
        (t._("Trên chuẩn nghèo"), area.above_line),
        (t._("Dưới chuẩn nghèo"), area.below_line),
        (t._("Chưa có số liệu"), area.no_data),
    ]
    end = _write_table(sheet, row, 4, (t._("Hộ so với chuẩn nghèo"), t._("Số hộ")), counts)
    chart = _bar_chart(t._("Hộ so với chuẩn nghèo"), "col")
    chart.add_data(Reference(sheet, min_col=5, min_row=row, max_row=end), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=4, min_row=row + 1, max_row=end))
    chart.legend = None
    sheet.add_chart(chart, f"H{row}")


def _rows_spanned(chart: BarChart) -> int:
    """Default-height rows (15 pt, about 0.53 cm) a chart covers."""
    return math.ceil(float(chart.height) / 0.53)


def _bar_chart(title: str, direction: str) -> BarChart:
    chart = BarChart()
    chart.type = direction
    chart.title = title
    chart.width = 18
    chart.y_axis.number_format = MONEY
    # openpyxl 3.1 hides the axes unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _write_table(
    sheet: Worksheet,
    row: int,
    column: int,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> int:
    """A header row and its rows from (row, column); return the last row written."""
    for offset, title in enumerate(header):
        cell = sheet.cell(row=row, column=column + offset, value=title)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, values in enumerate(rows, start=1):
        for offset, value in enumerate(values):
            cell = sheet.cell(row=row + index, column=column + offset, value=value)
            if isinstance(value, int | float):
                cell.number_format = MONEY
    return row + len(rows)


def _write_area_table(sheet: Worksheet, row: int, report: MonthlyReport, t: Translator) -> None:
    """One row per area below the report's, names indented by level."""
    sheet.cell(row=row, column=1, value=t._("Theo địa bàn")).font = _BOLD
    header = (
        t._("Địa bàn"),
        t._("Mã"),
        t._("Cấp"),
        t._("Số hộ"),
        t._("Đã tham gia"),
        t._("Có ghi sổ"),
        t._("Trên chuẩn"),
        t._("Dưới chuẩn"),
        t._("Chưa có số liệu"),
        t._("Tổng thu"),
        t._("Tổng chi"),
        t._("Thu nhập bình quân người/tháng"),
        t._("Cảnh báo phát sinh"),
        t._("Yêu cầu mới"),
        t._("Buổi họp"),
    )
    rows = [
        (
            area.name,
            area.code,
            t._(AREA_KIND_LABELS.get(area.kind, area.kind)),
            area.households,
            area.joined,
            area.writing,
            area.above_line,
            area.below_line,
            area.no_data,
            area.income,
            area.spending,
            area.net_per_person,
            area.alerts_raised,
            area.cases_opened,
            area.meetings_held,
        )
        for area in report.areas
    ]
    _write_table(sheet, row + 1, 1, header, rows)
    for index, area in enumerate(report.areas, start=row + 2):
        sheet.cell(row=index, column=1).alignment = Alignment(indent=area.depth - 1)


_HOUSEHOLD_COLUMNS: tuple[tuple[str, int, str], ...] = (
    (N_("Mã hộ"), 10, "@"),
    (N_("Chủ hộ"), 24, "@"),
    (N_("Xã"), 20, "@"),
    (N_("Thôn, ấp"), 16, "@"),
    (N_("Số người"), 9, MONEY),
    (N_("Diện hộ"), 15, "@"),
    (N_("Khu vực"), 11, "@"),
    (N_("Đã tham gia"), 11, "@"),
    (N_("Thu (đồng)"), 14, MONEY),
    (N_("Chi sản xuất (đồng)"), 14, MONEY),
    (N_("Chi khác (đồng)"), 14, MONEY),
    (N_("Trả lãi (đồng)"), 14, MONEY),
    (N_("Thu nhập bình quân người/tháng"), 16, MONEY),
    (N_("Chuẩn nghèo"), 12, MONEY),
    (N_("So với chuẩn"), 16, "@"),
    (N_("Số lần ghi trong tháng"), 11, MONEY),
    (N_("Ghi gần nhất"), 12, DATE),
    (N_("Cảnh báo đang mở"), 11, MONEY),
    (N_("Dư nợ vay còn lại (đồng)"), 15, MONEY),
)


def _household_values(row: HouseholdRow, t: Translator) -> tuple[Any, ...]:
    if row.above is None:
        standing_text = t._("Chưa có số liệu")
    else:
        standing_text = t._("Trên chuẩn") if row.above else t._("Dưới chuẩn")
    return (
        row.code,
        row.head_name,
        row.commune,
        row.hamlet,
        row.members,
        t._(STATUS_LABELS.get(row.status, row.status)),
        t._("Thành thị") if row.urban else t._("Nông thôn"),
        t._("Có") if row.joined else t._("Chưa"),
        row.income,
        row.production_cost,
        row.other_spending,
        row.interest,
        row.per_person,
        row.line,
        standing_text,
        row.entries,
        row.last_entry,
        row.open_alerts,
        row.loans_owed,
        *(row.moved[kind] for kind in MOVING_KINDS),
    )


def _household_columns(t: Translator) -> list[tuple[str, int, str]]:
    """The columns' titles, widths and formats; the money that only moved comes last, a
    column per kind."""
    return [
        (t._(title), width, number_format) for title, width, number_format in _HOUSEHOLD_COLUMNS
    ] + [
        (t._("{kind} (đồng)").format(kind=kind_label(t, kind)), 14, MONEY) for kind in MOVING_KINDS
    ]


def _write_households(sheet: Worksheet, report: MonthlyReport, t: Translator) -> None:
    columns = _household_columns(t)
    sheet.append([title for title, _, _ in columns])
    for cell in sheet[1]:
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in report.households:
        sheet.append(_household_values(row, t))
    for index, (_, width, number_format) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if number_format != "@":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{len(report.households) + 1}"


async def monthly_workbook(
    session: AsyncSession,
    *,
    area_code: str,
    month: date,
    settings: Settings,
    now: datetime,
    locale: str,
) -> tuple[MonthlyReport, bytes]:
    """The area's monthly report and its workbook (/baocao and the web page's download)."""
    report = await monthly_report(session, area_code=area_code, month=month, settings=settings)
    plans = await report_plans(
        session, area_code=area_code, month=month, settings=settings, now=now
    )
    return report, to_xlsx(report, locale=locale, plans=plans)
