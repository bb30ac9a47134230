"""The overview as an xlsx workbook (openpyxl): the totals, then each table on its own sheet.
Figures only, no personal data."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gridgov.dashboards.selectors import Figure, Summary


def _share(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _figures(sheet: Any, heading: str, figures: list[Figure]) -> None:
    sheet.append([heading, _("Cases")])
    for figure in figures:
        sheet.append([figure.label, figure.value])


def summary_workbook(figures: Summary) -> bytes:
    book = Workbook(write_only=True)
    totals = book.create_sheet(_("Totals")[:31])
    totals.append([_("Region"), figures.region.name, figures.region.region_code])
    totals.append([_("From"), figures.period.start, _("To"), figures.period.end])
    totals.append([])
    for figure in figures.totals.values():
        totals.append([figure.label, figure.value])
    totals.append([_("Closed on time"), _share(figures.on_time.value)])
    totals.append([_("Satisfaction (1–5)"), figures.satisfaction, _("Rated"), figures.rated.value])
    if figures.children:
        sheet = book.create_sheet(_("Below this region")[:31])
        sheet.append(
            [
                _("Code"),
                _("Name"),
                _("Received"),
                _("Open"),
                _("Closed"),
                _("Overdue"),
                _("Escalated"),
                _("Closed on time"),
                _("Open per 1,000 people"),
            ]
        )
        for row in figures.children:
            sheet.append(
                [
                    row.code,
                    row.name,
                    row.received.value,
                    row.open.value,
                    row.closed.value,
                    row.overdue.value,
                    row.escalated.value,
                    _share(row.on_time.value),
                    row.open_per_thousand,
                ]
            )
    for title, table in (
        (_("By state"), figures.by_state),
        (_("By level"), figures.by_level),
        (_("By channel"), figures.by_channel),
    ):
        _figures(book.create_sheet(title[:31]), title, table)
    categories = book.create_sheet(_("By category")[:31])
    categories.append([_("Category"), _("Sub-category"), _("Cases")])
    for top, leaves in figures.by_category:
        categories.append([top.label, "", top.value])
        for leaf in leaves:
            categories.append([top.label, leaf.label, leaf.value])
    resolved = book.create_sheet(_("Where cases were resolved")[:31])
    resolved.append([_("Level"), _("Closed"), _("Share")])
    for rate in figures.where_resolved:
        resolved.append([rate.of.label, rate.of.value, _share(rate.value)])
    trend = book.create_sheet(_("Trend")[:31])
    trend.append([_("Day"), _("Received")])
    for day, count in figures.trend:
        trend.append([day, count])
    problems = book.create_sheet(_("Slowest problems")[:31])
    problems.append([_("Category"), _("Days to resolve"), _("Cases")])
    for problem in figures.slowest:
        problems.append([problem.name, problem.average_days, problem.cases.value])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
