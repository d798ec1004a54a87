"""A report as an Excel workbook (openpyxl): one sheet, the title, seed 004's sentences, then the tables; figures
stay numbers in their cells (a share is a percentage with two decimals)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.translation import lazy_gettext

from .content import Report
from .layout import generated_line, summary, tables

BOLD = Font(bold=True)


def report_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(lazy_gettext("Báo cáo"))
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.subtitle])
    sheet.append([generated_line(report)])
    sheet.append([])
    for sentence in summary(report):
        sheet.append([sentence])
    for table in tables(report):
        sheet.append([])
        sheet.append([table.heading])
        sheet.cell(sheet.max_row, 1).font = BOLD
        sheet.append(list(table.columns))
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for row in table.rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row][1:]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        if not table.rows:
            sheet.append([str(lazy_gettext("Không có."))])
    sheet.column_dimensions["A"].width = 80
    for column in ("B", "C"):
        sheet.column_dimensions[column].width = 16
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row:
            if cell.data_type == "f":  # a name typed as =… stays text: a report never runs a formula
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
