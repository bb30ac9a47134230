"""Analysis and judgment (研判) for a region and a period: disputes by kind and by level, the
resolution and on-time rates, where disputes were resolved (village, town, county: "small
matters stay in the village"), referrals by direction, open risks by level, and hotspots (grids
whose dispute count is significantly above their own history; see `hotspots`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q

from gridgov.cases.selectors import category_list
from gridgov.core.scoping import Actor
from gridgov.mediation.figures import Figure, seed_figures
from gridgov.mediation.hotspots import Hotspot, find_hotspots
from gridgov.mediation.models import AGREED, RiskStatus
from gridgov.mediation.selectors import (
    FileFilters,
    ReferralCount,
    RiskFilters,
    file_list,
    referral_counts,
    risk_list,
)
from gridgov.regions.selectors import region_names

# How many earlier windows, each as long as the period, make a grid's history.
HISTORY_WINDOWS = 12


@dataclass
class AnalysisReport:
    region: str
    since: datetime
    until: datetime
    disputes: int
    by_kind: dict[str, int]
    by_level: dict[str, int]
    concluded: int
    resolved: int
    on_time: int
    resolution_rate: float | None
    on_time_rate: float | None
    referrals: list[ReferralCount]
    open_risks: dict[str, int]
    hotspots: list[Hotspot]
    figures: list[Figure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "disputes": self.disputes,
            "by_kind": self.by_kind,
            "by_level": self.by_level,
            "concluded": self.concluded,
            "resolved": self.resolved,
            "on_time": self.on_time,
            "resolution_rate": self.resolution_rate,
            "on_time_rate": self.on_time_rate,
            "referrals": [
                {"from": r.from_track, "to": r.to_track, "count": r.count} for r in self.referrals
            ],
            "open_risks": self.open_risks,
            "hotspots": [
                {
                    "grid": h.grid_code,
                    "observed": h.observed,
                    "expected": h.expected,
                    "p_value": h.p_value,
                }
                for h in self.hotspots
            ],
            "figures": [
                {"key": f.key, "name": f.label, "value": f.value, "href": f.href, "page": f.page}
                for f in self.figures
            ],
        }


def _grid_counts(files: Any) -> dict[str, int]:
    return {
        row["grid_code"]: row["n"]
        for row in files.exclude(grid_code="").values("grid_code").annotate(n=Count("id"))
    }


def analysis_report(
    *, actor: Actor, region_code: str, since: datetime, until: datetime
) -> AnalysisReport:
    period = file_list(
        actor=actor,
        filters=FileFilters(
            region_code=region_code, registered_from=since, registered_before=until
        ),
    ).order_by()
    by_kind = {
        row["dispute_kind"]: row["n"]
        for row in period.values("dispute_kind").annotate(n=Count("id")).order_by("dispute_kind")
    }
    by_level = {
        row["centre__level"]: row["n"]
        for row in period.values("centre__level").annotate(n=Count("id")).order_by()
    }
    concluded_files = file_list(
        actor=actor,
        filters=FileFilters(region_code=region_code, concluded_from=since, concluded_before=until),
    ).order_by()
    tallies = concluded_files.aggregate(
        concluded=Count("id"),
        resolved=Count("id", filter=Q(outcome__in=AGREED)),
        on_time=Count("id", filter=Q(outcome__in=AGREED, outcome_at__lte=F("due_at"))),
    )
    concluded, resolved, on_time = tallies["concluded"], tallies["resolved"], tallies["on_time"]
    length = until - since
    history: dict[str, list[int]] = {}
    for window in range(1, HISTORY_WINDOWS + 1):
        start, end = since - window * length, since - (window - 1) * length
        past = file_list(
            actor=actor,
            filters=FileFilters(
                region_code=region_code, registered_from=start, registered_before=end
            ),
        ).order_by()
        for code, count in _grid_counts(past).items():
            history.setdefault(code, [0] * HISTORY_WINDOWS)[window - 1] = count
    open_risks = {
        row["level"]: row["n"]
        for row in risk_list(actor=actor, filters=RiskFilters(region_code=region_code))
        .exclude(status=RiskStatus.RESOLVED)
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
    }
    return AnalysisReport(
        region=region_code,
        since=since,
        until=until,
        disputes=sum(by_kind.values()),
        by_kind=by_kind,
        by_level=by_level,
        concluded=concluded,
        resolved=resolved,
        on_time=on_time,
        resolution_rate=round(resolved / concluded, 4) if concluded else None,
        on_time_rate=round(on_time / resolved, 4) if resolved else None,
        referrals=referral_counts(actor=actor, region_code=region_code, since=since, until=until),
        open_risks=open_risks,
        hotspots=find_hotspots(
            current=_grid_counts(period), history=history, windows=HISTORY_WINDOWS
        ),
        figures=seed_figures(actor=actor, region_code=region_code, since=since, until=until),
    )


@dataclass(frozen=True)
class ReportNames:
    """What a reader calls the report's codes: its place, the kinds of dispute, the grids."""

    region: str
    kinds: dict[str, str]
    grids: dict[str, str]

    def kind(self, code: str) -> str:
        return self.kinds.get(code, code)

    def grid(self, code: str) -> str:
        return self.grids.get(code, code)


def report_names(*, actor: Actor, report: AnalysisReport) -> ReportNames:
    """The names behind the report's codes, as the actor may see them."""
    kinds = dict(category_list().filter(is_dispute=True).values_list("code", "name"))
    wanted = {h.grid_code for h in report.hotspots} | {report.region}
    names = region_names(actor=actor, region_codes=wanted)
    return ReportNames(
        region=names.get(report.region, report.region),
        kinds=kinds,
        grids={code: names[code] for code in wanted if code in names},
    )
