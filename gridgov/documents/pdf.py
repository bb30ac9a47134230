"""A small builder for printed documents in Chinese: a title, headings, paragraphs, label-value
tables, signature blocks and page breaks, rendered on A4 with the CJK font embedded."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import segno
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from gridgov.documents.fonts import cjk_font


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=4 * mm
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER, spaceAfter=4 * mm),
        "heading": ParagraphStyle(
            "heading", parent=body, fontSize=13, leading=20, spaceBefore=3 * mm, spaceAfter=1 * mm
        ),
        "body": ParagraphStyle("para", parent=body, firstLineIndent=22, spaceAfter=2 * mm),
        "plain": body,
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=13),
    }


def _text(value: Any) -> str:
    """Escaped for reportlab's mini-markup, line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def qr_drawing(text: str, *, size_mm: float) -> Drawing:
    """A QR code (segno's matrix, error correction M, with its quiet zone) as reportlab shapes:
    one black square per dark module, so nothing is rasterised."""
    code = segno.make(text, error="m")
    border = 4  # the quiet zone the standard asks for, in modules
    rows = list(code.matrix_iter(scale=1, border=border))
    module = size_mm * mm / len(rows)
    drawing = Drawing(size_mm * mm, size_mm * mm)
    drawing.hAlign = "CENTER"
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                top = (len(rows) - 1 - y) * module
                drawing.add(
                    Rect(
                        x * module,
                        top,
                        module,
                        module,
                        fillColor=colors.black,
                        strokeColor=None,
                        strokeWidth=0,
                    )
                )
    return drawing


@dataclass
class PdfDocument:
    """Flowables added in reading order; `render()` lays them out on A4 pages."""

    title: str
    author: str = "gridgov"
    _flow: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.styles = _styles(cjk_font())

    def heading(self, text: str) -> PdfDocument:
        self._flow.append(Paragraph(_text(text), self.styles["heading"]))
        return self

    def title_block(self, title: str, subtitle: str = "") -> PdfDocument:
        self._flow.append(Paragraph(_text(title), self.styles["title"]))
        if subtitle:
            self._flow.append(Paragraph(_text(subtitle), self.styles["subtitle"]))
        return self

    def paragraph(self, text: str, *, indent: bool = True) -> PdfDocument:
        style = self.styles["body" if indent else "plain"]
        for line in str(text).splitlines() or [""]:
            self._flow.append(Paragraph(_text(line), style))
        return self

    def right(self, text: str) -> PdfDocument:
        self._flow.append(Paragraph(_text(text), self.styles["right"]))
        return self

    def fields(
        self, rows: Sequence[tuple[str, Any]], *, label_width: float = 35 * mm
    ) -> PdfDocument:
        """A two-column table of labels and values, wrapped, with a thin grid."""
        data = [
            [
                Paragraph(_text(label), self.styles["plain"]),
                Paragraph(_text(value), self.styles["plain"]),
            ]
            for label, value in rows
        ]
        table = Table(data, colWidths=[label_width, A4[0] - 40 * mm - label_width])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                ]
            )
        )
        self._flow += [table, Spacer(1, 3 * mm)]
        return self

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> PdfDocument:
        data = [[Paragraph(_text(cell), self.styles["plain"]) for cell in header]]
        data += [[Paragraph(_text(cell), self.styles["plain"]) for cell in row] for row in rows]
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self._flow += [table, Spacer(1, 3 * mm)]
        return self

    def signatures(self, labels: Sequence[str]) -> PdfDocument:
        """A line to sign on (and a date) for each label, kept on one page."""
        rows = [
            [
                Paragraph(_text(label), self.styles["plain"]),
                Paragraph("＿＿＿＿＿＿＿＿＿＿", self.styles["plain"]),
                Paragraph(_text("　　年　　月　　日"), self.styles["plain"]),
            ]
            for label in labels
        ]
        table = Table(rows, colWidths=[55 * mm, 60 * mm, 45 * mm])
        table.setStyle(TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 5 * mm)]))
        self._flow.append(KeepTogether([Spacer(1, 4 * mm), table]))
        return self

    def qr_code(self, text: str, *, size_mm: float = 60, caption: str = "") -> PdfDocument:
        """`text` (an address) as a QR code drawn in vectors, centred, sharp at any print size;
        with a caption under it."""
        self._flow.append(qr_drawing(text, size_mm=size_mm))
        if caption:
            self._flow.append(Paragraph(_text(caption), self.styles["subtitle"]))
        return self

    def drawing(self, drawing: Drawing, caption: str = "") -> PdfDocument:
        """A chart or other vector drawing (reportlab.graphics), kept with its caption."""
        parts: list[Any] = [drawing]
        if caption:
            parts.append(Paragraph(_text(caption), self.styles["subtitle"]))
        self._flow.append(KeepTogether(parts))
        return self

    def small(self, text: str) -> PdfDocument:
        self._flow.append(Paragraph(_text(text), self.styles["small"]))
        return self

    def space(self, height_mm: float = 4) -> PdfDocument:
        self._flow.append(Spacer(1, height_mm * mm))
        return self

    def page_break(self) -> PdfDocument:
        self._flow.append(PageBreak())
        return self

    def render(self) -> bytes:
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=self.title,
            author=self.author,
        )
        document.build(list(self._flow))
        return buffer.getvalue()
