""".docx files from templates (docxtpl: Jinja tags inside a Word document), for documents staff
edit before printing. A template is a file or a stream (one built with python-docx)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from docxtpl import DocxTemplate


def render_docx(template: Path | IO[bytes], context: dict[str, Any]) -> bytes:
    """The template filled with `context` (values are escaped by docxtpl's autoescape)."""
    document = DocxTemplate(str(template) if isinstance(template, Path) else template)
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
