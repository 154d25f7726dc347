"""The evidence of which activities pay, as an Excel workbook with a chart.

A module of its own so that openpyxl is imported only when a workbook is made.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill

from bot.i18n import translator
from bot.plans.evidence import ModelsReport

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
    for letter in "CDEFGHIJKLMN":
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
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
