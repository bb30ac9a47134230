"""A list of cases as an xlsx workbook (openpyxl, write-only: rows go out as they are made).

Personal data is masked as on every page: the reporter's phone as 138****5678, no name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gridgov.cases.forms import category_label
from gridgov.cases.models import Case, Channel


def _local(value: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: the county's local time, without its offset.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _category(case: Case) -> str:
    category = case.category
    parent = category.parent
    return (
        f"{category_label(parent)} / {category_label(category)}"
        if parent
        else category_label(category)
    )


def _row(case: Any) -> list[Any]:
    return [
        case.number,
        case.title,
        _category(case),
        str(case.state_label),
        str(case.level_label),
        case.unit_name or case.handling_code,
        case.region_name or case.region_code,
        str(Channel(case.channel).label) if case.channel in Channel.values else case.channel,
        _local(case.created_at),
        _local(case.due_at),
        _local(case.resolved_at),
        _local(case.closed_at),
        case.rating,
        str(case.reporter_phone) if case.reporter_phone else "",
    ]


def cases_workbook(cases: Iterable[Case], *, truncated: bool) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cases"))
    sheet.append(
        [
            _("Number"),
            _("Title"),
            _("Category"),
            _("State"),
            _("Level"),
            _("Handling unit"),
            _("Place"),
            _("Channel"),
            _("Reported at"),
            _("Due"),
            _("Resolved at"),
            _("Closed at"),
            _("Satisfaction"),
            _("Reporter's phone (masked)"),
        ]
    )
    for case in cases:
        sheet.append(_row(case))
    if truncated:
        sheet.append([_("Only the first rows are here: narrow the filters to export the rest.")])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
