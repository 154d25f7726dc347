"""The evidence of which activities pay, as an Excel workbook with a chart.

A module of its own so that openpyxl is imported only when a workbook is made.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from bot.i18n import Translator, translator
from bot.plans.evidence import ModelsReport
from bot.plans.plans import PlanView
from bot.plans.review import Review
from bot.services.rendering.xlsx_safe import workbook_bytes
from bot.services.reports.reports import STATUS_LABELS

_MONEY = "#,##0"
_RATIO = "0.00"
_PERCENT = "0.0%"


def models_xlsx(report: ModelsReport, *, locale: str = "vi") -> bytes:
    t = translator(locale)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t._("Mô hình sinh kế")
    sheet["A1"] = t._("Mô hình sinh kế hiệu quả – {area} ({code}), {start} – {end}").format(
        area=report.area_name,
        code=report.area,
        start=report.start.strftime("%m/%Y"),
        end=report.end.strftime("%m/%Y"),
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = t._(
        "Lãi = tiền thu − tiền chi (kể cả tiền lãi vay) của các khoản ghi cho mô hình. "
        "Tháng có số liệu: tháng hộ có ghi sổ. Chuẩn nghèo: Nghị định {decree}, "
        "nông thôn {rural}, thành thị {urban} đồng/người/tháng."
    ).format(decree=report.line.decree, rural=report.line.rural, urban=report.line.urban)
    headers = [
        t._("Mã"),
        t._("Mô hình"),
        t._("Số hộ theo"),
        t._("Số hộ có ghi sổ"),
        t._("Số tháng có số liệu (cộng các hộ)"),
        t._("Tổng thu (đồng)"),
        t._("Tổng chi (đồng)"),
        t._("Tổng lãi (đồng)"),
        t._("Lãi/tháng: tứ phân vị 1"),
        t._("Lãi/tháng: trung vị"),
        t._("Lãi/tháng: tứ phân vị 3"),
        t._("Lãi trên 1 đồng chi: trung vị"),
        t._("Số hộ tính lãi trên 1 đồng chi"),
        t._("Tỷ lệ hộ trên chuẩn nghèo"),
        t._("Số hộ thoát nghèo"),
        t._("Số hộ thoát nghèo bền vững"),
    ]
    header_row = 4
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row, item in enumerate(report.activities, start=header_row + 1):
        values = [
            item.code,
            item.name,
            item.households,
            item.with_data,
            item.household_months,
            item.money_in,
            item.money_out,
            item.profit,
            item.profit_per_month.q1,
            item.profit_per_month.median,
            item.profit_per_month.q3,
            item.profit_per_dong.median,
            item.profit_per_dong.n,
            item.share_above,
            item.escaped,
            item.escaped_sustainably,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if 6 <= column <= 11:
                cell.number_format = _MONEY
            elif column == 12:
                cell.number_format = _RATIO
            elif column == 14:
                cell.number_format = _PERCENT
    sheet.column_dimensions["B"].width = 24
    for letter in "CDEFGHIJKLMNOP":
        sheet.column_dimensions[letter].width = 16
    last = header_row + len(report.activities)
    if report.activities:
        chart = BarChart()
        chart.title = t._("Lãi mỗi tháng của một hộ (trung vị, đồng)")
        chart.y_axis.title = t._("đồng")
        chart.add_data(
            Reference(sheet, min_col=10, min_row=header_row, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=2, min_row=header_row + 1, max_row=last))
        chart.width, chart.height = 22, 10
        sheet.add_chart(chart, f"B{last + 3}")
    _write_areas(book.create_sheet(t._("Thoát nghèo theo địa bàn")), report, t)
    return workbook_bytes(book)


def _write_areas(sheet: Worksheet, report: ModelsReport, t: Translator) -> None:
    sheet["A1"] = t._(
        "Hộ thoát nghèo trong kỳ, và thoát nghèo bền vững (không tái nghèo trong 12 tháng, "
        "tính đến {day})"
    ).format(day=t.date(report.as_of))
    sheet["A1"].font = Font(bold=True)
    headers = [t._("Mã"), t._("Địa bàn"), t._("Số hộ"), t._("Thoát nghèo"), t._("Bền vững")]
    for column, header in enumerate(headers, start=1):
        sheet.cell(row=3, column=column, value=header).font = Font(bold=True)
    for row, area in enumerate(report.areas, start=4):
        values = (area.code, area.name, area.households, area.escaped, area.escaped_sustainably)
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    sheet.column_dimensions["B"].width = 30


def review_xlsx(review: Review, *, locale: str = "vi") -> bytes:
    """One row per household: the year's diary income per person beside the line, and
    empty columns for what the officer checks and confirms."""
    t = translator(locale)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t._("Rà soát {year}").format(year=review.year)
    sheet["A1"] = t._("Rà soát hộ nghèo năm {year} – {area} ({code})").format(
        year=review.year, area=review.area_name, code=review.area
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = t._(
        "Thu nhập bình quân người/tháng theo sổ nhật ký = (thu − chi sản xuất − lãi vay) ÷ "
        "số người ÷ số tháng có ghi sổ. Chuẩn nghèo: Nghị định {decree}. Các tiêu chí thiếu "
        "hụt dịch vụ xã hội cơ bản do cán bộ rà soát điền."
    ).format(decree=review.line.decree)
    headers = [
        t._("Mã hộ"),
        t._("Chủ hộ"),
        t._("Ấp"),
        t._("Số người"),
        t._("Thành thị"),
        t._("Tình trạng hiện nay"),
        t._("Số tháng có ghi sổ"),
        t._("Tổng thu (đồng)"),
        t._("Chi sản xuất (đồng)"),
        t._("Lãi vay (đồng)"),
        t._("Thu nhập bình quân người/tháng (đồng)"),
        t._("Chuẩn nghèo (đồng/người/tháng)"),
        t._("Trên chuẩn thu nhập"),
        t._("Thiếu hụt dịch vụ xã hội cơ bản"),
        t._("Cán bộ xác nhận"),
    ]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=4, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    yes, no = t._("Có"), t._("Không")
    for row, item in enumerate(review.rows, start=5):
        above = item.above_line
        values = [
            item.code,
            item.head_name,
            item.hamlet,
            item.members,
            yes if item.urban else no,
            t._(STATUS_LABELS[item.status]) if item.status in STATUS_LABELS else item.status,
            item.months,
            item.income,
            item.production_cost,
            item.interest,
            item.per_person,
            item.line,
            None if above is None else (yes if above else no),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if 8 <= column <= 12:
                cell.number_format = _MONEY
    for letter in "BCDEFGHIJKLMNO":
        sheet.column_dimensions[letter].width = 16
    return workbook_bytes(book)


def write_plan_sheet(sheet: Worksheet, views: list[PlanView], t: Translator) -> None:
    """The monthly report's plan sheet: each household with a plan, its activities and
    their profit so far, its target, and whether it is on track."""
    headers = [
        t._("Mã hộ"),
        t._("Mô hình"),
        t._("Lãi từng mô hình đến nay (đồng)"),
        t._("Thu nhập bình quân người/tháng, 3 tháng qua (đồng)"),
        t._("Chuẩn nghèo (đồng/người/tháng)"),
        t._("Mục tiêu (tháng)"),
        t._("Việc sắp tới"),
        t._("Chậm (tháng)"),
        t._("Đúng tiến độ"),
    ]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row, view in enumerate(views, start=2):
        step = view.next_milestone
        values = [
            view.household,
            ", ".join(item.name for item in view.activities),
            "; ".join(f"{item.name}: {t.money(item.money.profit)}" for item in view.activities),
            view.per_person,
            view.line,
            f"{view.target_month:%m/%Y}" if view.target_month else None,
            f"{t.date(step.due_on)} – {step.text}" if step else None,
            view.months_behind,
            t._("Có") if view.on_track else t._("Không"),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if column in (4, 5):
                cell.number_format = _MONEY
    for letter, width in zip("ABCDEFGHI", (12, 28, 44, 18, 16, 12, 36, 10, 12), strict=True):
        sheet.column_dimensions[letter].width = width
