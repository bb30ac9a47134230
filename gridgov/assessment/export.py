"""The month's scores as an xlsx workbook (openpyxl): the ranking, then every component, so the
sheet shows how each score was added up. Names and figures only, no personal data."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gridgov.assessment.indicators import spec_of


def _label(code: str) -> str:
    spec = spec_of(code)
    return str(spec.label) if spec else code


def scores_workbook(*, scores: list[Any], places: dict[str, str], month: str) -> bytes:
    book = Workbook(write_only=True)
    ranking = book.create_sheet(_("Ranking")[:31])
    ranking.append([_("Month"), month])
    ranking.append(
        [_("Who"), _("Name"), _("Place"), _("Place code"), _("Score"), _("Rank"), _("Out of")]
    )
    for score in scores:
        ranking.append(
            [
                str(score.get_kind_display()),
                score.name,
                places.get(score.region_code, score.region_code),
                score.region_code,
                float(score.total),
                score.rank,
                score.ranked_among,
            ]
        )
    parts = book.create_sheet(_("Components")[:31])
    parts.append(
        [
            _("Name"),
            _("Place"),
            _("Indicator"),
            _("Value"),
            _("Counted"),
            _("Out of"),
            _("Normalised"),
            _("Weight"),
            _("Points"),
        ]
    )
    for score in scores:
        for component in score.components.all():
            parts.append(
                [
                    score.name,
                    places.get(score.region_code, score.region_code),
                    _label(component.indicator),
                    round(component.value, 4),
                    component.numerator,
                    component.denominator,
                    round(component.normalised, 4) if component.normalised is not None else None,
                    component.weight,
                    float(component.points) if component.points is not None else None,
                ]
            )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
