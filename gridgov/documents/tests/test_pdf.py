"""PDFs carry Chinese text in an embedded CJK font, with no system font needed."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from pypdf import PdfReader

from gridgov.documents import fonts
from gridgov.documents.pdf import PdfDocument, qr_drawing


def _embedded_fonts(content: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    found.add(str(descendant.get_object()["/BaseFont"]))
    return found


def test_chinese_text_is_extractable_and_the_font_is_embedded():
    # given a document with Chinese text in a paragraph, a table and a signature block
    doc = PdfDocument(title="测试")
    doc.title_block("人民调解协议书", "扶风县城关街道人民调解委员会")
    doc.paragraph("甲方于2026年12月31日前支付乙方人民币3000元。")
    doc.fields([("当事人", "王建国"), ("地址", "东大街<12>号 & 巷")])
    doc.signatures(["当事人：王建国"])
    # when it is rendered
    content = doc.render()
    # then the text reads back and the font travels inside the file
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "人民调解协议书" in text
    assert "人民币3000元" in text
    assert "东大街<12>号 & 巷" in text
    assert any("WenQuanYiMicroHei" in name for name in _embedded_fonts(content))


def test_a_font_file_that_is_not_the_pinned_one_is_refused(monkeypatch, tmp_path):
    impostor = tmp_path / "font.ttc"
    impostor.write_bytes(b"not a font")
    monkeypatch.setattr(fonts, "font_path", lambda: impostor)
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing):
            fonts.cjk_font()
    finally:
        monkeypatch.undo()
        fonts.cjk_font.cache_clear()
    assert fonts.cjk_font() == fonts.FONT_NAME


def test_a_qr_code_is_drawn_module_for_module_with_its_quiet_zone():
    # given
    address = "https://fufeng.example/public/cards/610324001200/"
    matrix = [list(row) for row in segno.make(address, error="m").matrix_iter(border=4)]
    # when
    drawing = qr_drawing(address, size_mm=70)
    # then: one square per dark module, at its row and column (rows counted from the top)
    module = drawing.width / len(matrix)
    drawn = {
        (round((drawing.height - shape.y) / module) - 1, round(shape.x / module))
        for shape in drawing.contents
    }
    dark = {(y, x) for y, row in enumerate(matrix) for x, on in enumerate(row) if on}
    assert drawn == dark
    # the quiet zone: nothing drawn in the four outer modules on any side
    size = len(matrix)
    assert all(4 <= y < size - 4 and 4 <= x < size - 4 for y, x in drawn)
