"""Aligning columns of mixed Chinese and Latin text in a terminal."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    # Chinese characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(rows: list[list[str]], *, right: frozenset[int] = frozenset()) -> list[str]:
    """Lines of `rows` with aligned columns (those in `right` aligned right), two spaces apart."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            padding = " " * (width - display_width(cell))
            cells.append(padding + cell if i in right else cell + padding)
        lines.append("  ".join(cells).rstrip())
    return lines
