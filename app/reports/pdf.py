"""PDF documents (fpdf2) with the DejaVu Sans font committed in app/reports/fonts (embedded, subset): Vietnamese
renders the same on every machine, with no system font. A report's tables, and a document's sections."""

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from app.translation import lazy_gettext

from .content import Report
from .layout import generated_line, number, summary, tables

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
HEADER = FontFace(emphasis="BOLD", fill_color=(230, 236, 242))


class Document(FPDF):
    """An A4 page with the embedded font, its title in the metadata, and a numbered footer."""

    def __init__(self, title: str):
        super().__init__(format="A4")
        self.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_title(title)
        self.set_creator("PAKN")
        self.set_auto_page_break(True, margin=15)
        self.set_margins(15, 15, 15)
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 6, f"{self.title} — {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str, size: int = 12):
        self.ln(2)
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str, size: int = 10):
        self.set_font(FAMILY, "", size)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def grid(self, columns: tuple[str, ...], rows: list[tuple], widths: tuple[int, ...] | None = None):
        """A table with a header row; every cell is text (numbers written as the language writes them)."""
        self.set_font(FAMILY, "", 9)
        numeric = [n > 0 and all(not isinstance(row[n], str) for row in rows) for n in range(len(columns))]
        align = tuple("RIGHT" if number_column else "LEFT" for number_column in numeric)
        with self.table(col_widths=widths, headings_style=HEADER, line_height=5, text_align=align) as table:
            table.row(list(columns))
            for row in rows:
                table.row([value if isinstance(value, str) else number(value) for value in row])
        self.ln(2)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def report_pdf(report: Report) -> bytes:
    doc = Document(f"{report.title} — {report.subtitle}")
    doc.heading(report.title, 14)
    doc.heading(report.subtitle, 12)
    doc.paragraph(generated_line(report), 9)
    doc.ln(2)
    for sentence in summary(report):
        doc.paragraph(sentence)
    for table in tables(report):
        doc.heading(table.heading, 11)
        if table.rows:
            widths = (130, 50) if len(table.columns) == 2 else (110, 35, 35)
            doc.grid(table.columns, table.rows, widths)
        else:
            doc.paragraph(str(lazy_gettext("Không có.")))
    return doc.output_bytes()
