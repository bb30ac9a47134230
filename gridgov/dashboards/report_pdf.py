"""The overview as a printed report (PDF, A4): the region and the period on the cover, the
totals, the cases received day by day and each child region's figures as charts drawn in
vectors, then the tables. Figures only, no personal data."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from gridgov.dashboards.selectors import Rate, Summary
from gridgov.documents.fonts import cjk_font
from gridgov.documents.pdf import PdfDocument

CHART_WIDTH = 170 * mm
CHART_HEIGHT = 70 * mm
# More bars than this would not be readable on A4: the largest children are drawn.
MAX_BARS = 16


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def _share(rate: Rate) -> str:
    return "—" if rate.value is None else f"{rate.value * 100:.1f}%"


def trend_chart(figures: Summary) -> Drawing:
    """Cases received each day (or week) of the period, as a line."""
    font = cjk_font()
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    plot = LinePlot()
    plot.x, plot.y = 12 * mm, 10 * mm
    plot.width, plot.height = CHART_WIDTH - 18 * mm, CHART_HEIGHT - 16 * mm
    points = [(index, count) for index, (_day, count) in enumerate(figures.trend)]
    plot.data = [points or [(0, 0)]]
    plot.lines[0].strokeColor = colors.HexColor("#b71c1c")
    plot.lines[0].strokeWidth = 1.5
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = max(len(points) - 1, 1)
    step = max(len(points) // 6, 1)
    plot.xValueAxis.valueSteps = list(range(0, len(points), step))
    plot.xValueAxis.labelTextFormat = lambda index: (
        figures.trend[int(index)][0].strftime("%m-%d") if 0 <= index < len(figures.trend) else ""
    )
    plot.yValueAxis.valueMin = 0
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7
    drawing.add(plot)
    return drawing


def children_chart(figures: Summary) -> Drawing:
    """Each child region's received and open cases, side by side."""
    font = cjk_font()
    rows = sorted(figures.children, key=lambda row: row.received.value, reverse=True)[:MAX_BARS]
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 18 * mm
    chart.width, chart.height = CHART_WIDTH - 18 * mm, CHART_HEIGHT - 24 * mm
    chart.data = [[row.received.value for row in rows], [row.open.value for row in rows]]
    chart.categoryAxis.categoryNames = [row.name for row in rows]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#b71c1c")
    chart.bars[1].fillColor = colors.HexColor("#f0b429")
    drawing.add(chart)
    return drawing


def summary_pdf(figures: Summary) -> bytes:
    region, period = figures.region, figures.period
    title = _("Cases in %(region)s") % {"region": region.name}
    document = PdfDocument(title=title)
    # The cover: the region, the period, when the figures were made.
    document.space(60).title_block(
        title, _("%(start)s to %(end)s") % {"start": period.start, "end": period.end}
    )
    stamp = timezone.localtime(figures.updated_at) if figures.updated_at else timezone.localtime()
    document.right(_("Figures as of %(time)s") % {"time": stamp.strftime("%Y-%m-%d %H:%M")})
    document.page_break()
    document.heading(_("Totals"))
    rows: list[tuple[str, object]] = [
        (figure.label, _count(figure.value)) for figure in figures.totals.values()
    ]
    rows.append((_("Closed on time"), _share(figures.on_time)))
    satisfaction = "—" if figures.satisfaction is None else f"{figures.satisfaction:.2f}"
    rows.append((_("Satisfaction (1–5)"), satisfaction))
    document.fields(rows, label_width=50 * mm)
    caption = (
        _("Cases received each week")
        if figures.interval == "week"
        else _("Cases received each day")
    )
    document.drawing(trend_chart(figures), caption)
    if figures.children:
        document.drawing(
            children_chart(figures), _("Received (red) and open (yellow) cases below this region")
        )
        document.heading(_("Below this region"))
        document.table(
            [_("Name"), _("Received"), _("Open"), _("Overdue"), _("Closed on time")],
            [
                [
                    row.name,
                    _count(row.received.value),
                    _count(row.open.value),
                    _count(row.overdue.value),
                    _share(row.on_time),
                ]
                for row in figures.children
            ],
        )
    document.heading(_("Where cases were resolved"))
    document.table(
        [_("Level"), _("Closed"), _("Share")],
        [[rate.of.label, _count(rate.of.value), _share(rate)] for rate in figures.where_resolved],
    )
    document.heading(_("By category"))
    document.table(
        [_("Category"), _("Cases")],
        [[top.label, _count(top.value)] for top, _leaves in figures.by_category],
    )
    if figures.slowest:
        document.heading(_("Slowest problems"))
        document.table(
            [_("Category"), _("Days to resolve"), _("Cases")],
            [
                [
                    problem.name,
                    "—" if problem.average_days is None else f"{problem.average_days:.1f}",
                    _count(problem.cases.value),
                ]
                for problem in figures.slowest
            ],
        )
    return document.render()
