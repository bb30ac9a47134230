"""The analysis report as a PDF (CJK font embedded) and as an xlsx workbook."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

from gridgov.documents.pdf import PdfDocument
from gridgov.mediation.analysis import AnalysisReport, ReportNames

TRACKS = {"people": "人民调解", "administrative": "行政调解", "judicial": "司法调解"}
LEVELS = {"village": "村（社区）", "town": "镇（街道）", "county": "县"}
RISK_LEVELS = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
FIGURES = {
    "disputes_accepted": "受理矛盾纠纷",
    "disputes_referred": "移交（转办）纠纷",
    "resolved_by_village_centres": "村级中心化解",
    "resolved_by_town_centres": "镇级中心化解",
    "resolved_by_county_centres": "县级中心化解",
    "hidden_dangers_found": "排查不稳定隐患",
    "hidden_dangers_resolved": "化解不稳定隐患",
}


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _period(report: AnalysisReport) -> str:
    first = timezone.localtime(report.since)
    end = timezone.localtime(report.until)
    return f"{first:%Y年%m月%d日}至{end:%Y年%m月%d日}（不含）"


def report_pdf(report: AnalysisReport, *, names: ReportNames) -> bytes:
    doc = PdfDocument(title="矛盾纠纷分析研判报告")
    doc.title_block("矛盾纠纷分析研判报告", f"{names.region or '辖区'}　{_period(report)}")
    doc.heading("一、主要数据")
    doc.table(["项目", "数量"], [[FIGURES.get(f.key, f.key), f.value] for f in report.figures])
    doc.heading("二、纠纷类型与受理层级")
    doc.table(
        ["纠纷类型", "件数"],
        [[names.kind(kind), n] for kind, n in report.by_kind.items()] or [["—", 0]],
    )
    doc.table(
        ["受理层级", "件数"],
        [[LEVELS.get(k, k), n] for k, n in report.by_level.items()] or [["—", 0]],
    )
    doc.heading("三、化解情况")
    doc.fields(
        [
            ("办结", report.concluded),
            ("化解（达成协议）", report.resolved),
            ("化解率", _rate(report.resolution_rate)),
            ("按期化解率", _rate(report.on_time_rate)),
        ]
    )
    doc.heading("四、三调联动")
    doc.table(
        ["从", "至", "件数"],
        [[TRACKS[r.from_track], TRACKS[r.to_track], r.count] for r in report.referrals],
    )
    doc.heading("五、未化解隐患")
    doc.table(
        ["等级", "件数"],
        [[RISK_LEVELS.get(k, k), n] for k, n in report.open_risks.items()] or [["—", 0]],
    )
    doc.heading("六、预警：纠纷高发网格")
    doc.paragraph(
        "检验方法：以各网格此前12个同长度时段的纠纷数估计期望值λ，本期纠纷数X按泊松分布检验，"
        "P(X≥本期数)<0.01且本期不少于3件的网格列为高发网格并预警。"
    )
    doc.table(
        ["网格", "本期", "期望", "P值"],
        [
            [names.grid(h.grid_code), h.observed, h.expected, f"{h.p_value:.2e}"]
            for h in report.hotspots
        ]
        or [["无", "", "", ""]],
    )
    return doc.render()


def report_xlsx(report: AnalysisReport, *, names: ReportNames) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "研判"
    sheet.append(["区域", names.region or "辖区", report.region])
    sheet.append(["起", timezone.localtime(report.since).date()])
    sheet.append(["止（不含）", timezone.localtime(report.until).date()])
    sheet.append([])
    sheet.append(["项目", "数量", "记录"])
    for figure in report.figures:
        sheet.append([FIGURES.get(figure.key, figure.key), figure.value, figure.page])
    sheet.append([])
    sheet.append(["化解率", report.resolution_rate, "按期化解率", report.on_time_rate])
    kinds = book.create_sheet("纠纷类型")
    kinds.append(["纠纷类型", "件数", "类型代码"])
    for kind, count in report.by_kind.items():
        kinds.append([names.kind(kind), count, kind])
    links = book.create_sheet("三调联动")
    links.append(["从", "至", "件数"])
    for referral in report.referrals:
        links.append([TRACKS[referral.from_track], TRACKS[referral.to_track], referral.count])
    spots = book.create_sheet("高发网格")
    spots.append(["网格", "本期", "期望", "P值", "网格代码"])
    for spot in report.hotspots:
        spots.append(
            [names.grid(spot.grid_code), spot.observed, spot.expected, spot.p_value, spot.grid_code]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
