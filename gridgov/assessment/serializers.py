"""The assessment API's shapes: scores with their components (each with the link to the records
behind it), supervision orders, package responsibility."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gridgov.assessment import errors
from gridgov.assessment.forms import FIRST_YEAR, LAST_YEAR
from gridgov.assessment.indicators import spec_of, subject_of
from gridgov.assessment.models import (
    OrderState,
    OrderTarget,
    PackageKind,
    ScoreComponent,
    SubjectKind,
)
from gridgov.assessment.services.scoring import month_bounds

CODE_PATTERN = r"^[0-9]{6}([0-9]{3}){0,4}$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-11"})
class MonthField(serializers.CharField):
    """A month as YYYY-MM, given as its first day."""

    def to_internal_value(self, data: Any) -> date:  # type: ignore[override]
        text = super().to_internal_value(data)
        if not re.fullmatch(MONTH_PATTERN, text):
            raise serializers.ValidationError(str(errors.BAD_MONTH.bind().message))
        year, month = (int(part) for part in text.split("-"))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise serializers.ValidationError(str(errors.BAD_MONTH.bind().message))
        return date(year, month, 1)


class ScoreListFilter(serializers.Serializer):
    month = MonthField(required=False, help_text="YYYY-MM; the current month when left out.")
    region = serializers.RegexField(CODE_PATTERN, required=False)
    kind = serializers.ChoiceField(choices=SubjectKind.choices, required=False)


class RecomputeInput(serializers.Serializer):
    month = MonthField(help_text="YYYY-MM")


class RecomputeOutput(serializers.Serializer):
    month = serializers.CharField()
    scores = serializers.IntegerField(help_text="How many scores the month now has.")


class ComponentOutput(serializers.Serializer):
    indicator = serializers.CharField()
    indicator_name = serializers.SerializerMethodField()
    value = serializers.FloatField(help_text="A count, a share (0..1) or an average rating.")
    numerator = serializers.FloatField(help_text="What was counted.")
    denominator = serializers.FloatField(
        allow_null=True, help_text="A rate's denominator, or a count's target."
    )
    normalised = serializers.FloatField(allow_null=True, help_text="0..1; null: not applicable.")
    weight = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    href = serializers.SerializerMethodField(help_text="The page listing the records behind it.")
    api_href = serializers.SerializerMethodField(
        help_text="The same records through this API, where it lists them."
    )

    def _links(self, component: ScoreComponent) -> tuple[str, str | None]:
        spec = spec_of(component.indicator)
        score = self.context["score"]
        if spec is None:
            return "", None
        subject = subject_of(score)
        _start, _end, last = month_bounds(score.month)
        request = self.context.get("request")
        page = spec.records(subject, score.month, last)
        api = spec.api_records(subject, score.month, last) if spec.api_records else None
        if request is not None:
            page = request.build_absolute_uri(page)
            api = request.build_absolute_uri(api) if api else None
        return page, api

    def get_indicator_name(self, component: ScoreComponent) -> str:
        spec = spec_of(component.indicator)
        return str(spec.label) if spec else component.indicator

    def get_href(self, component: ScoreComponent) -> str:
        return self._links(component)[0]

    def get_api_href(self, component: ScoreComponent) -> str | None:
        return self._links(component)[1]


class ScoreOutput(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.SerializerMethodField()
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    username = serializers.CharField(source="user.username", allow_null=True, default=None)
    region_code = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    rank = serializers.IntegerField()
    ranked_among = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    components = serializers.SerializerMethodField()

    def get_month(self, score: Any) -> str:
        return str(score.month.strftime("%Y-%m"))

    @extend_schema_field(ComponentOutput(many=True))
    def get_components(self, score: Any) -> Any:
        context = {**self.context, "score": score}
        return ComponentOutput(score.components.all(), many=True, context=context).data


class OrderInput(serializers.Serializer):
    target = serializers.ChoiceField(choices=OrderTarget.choices)
    case_number = serializers.CharField(max_length=32, required=False, default="")
    unit = serializers.RegexField(r"^[0-9]{9}([0-9]{3})?$", required=False, default="")
    worker = serializers.CharField(
        max_length=150, required=False, default="", help_text="The grid worker's username."
    )
    request = serializers.CharField(max_length=2000)
    deadline_on = serializers.DateField()


class OrderRespondInput(serializers.Serializer):
    response = serializers.CharField(max_length=2000)


class OrderReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("close", "close"), ("return", "return")])
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class OrderListFilter(serializers.Serializer):
    list = serializers.ChoiceField(
        choices=[("waiting", "waiting"), ("issued", "issued"), ("all", "all")],
        default="waiting",
        help_text="Waiting on me, issued by me, or all of my jurisdiction.",
    )


class OrderOutput(serializers.Serializer):
    number = serializers.CharField()
    target = serializers.ChoiceField(choices=OrderTarget.choices)
    case_number = serializers.CharField()
    subject_name = serializers.CharField()
    region_code = serializers.CharField()
    addressee = serializers.CharField(source="addressee.username", allow_null=True, default=None)
    addressee_code = serializers.CharField()
    request = serializers.CharField()
    deadline_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=OrderState.choices)
    state_name = serializers.CharField(source="get_state_display")
    issued_by = serializers.CharField(source="issued_by.username")
    issued_at = serializers.DateTimeField()
    response = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_overdue(self, order: Any) -> bool:
        today = self.context["today"]
        return bool(order.state == OrderState.OPEN and order.deadline_on < today)


class PackageInput(serializers.Serializer):
    official = serializers.CharField(max_length=150, help_text="The official's username.")
    kind = serializers.ChoiceField(choices=PackageKind.choices)
    region_code = serializers.RegexField(CODE_PATTERN, required=False, default="")
    case_number = serializers.CharField(max_length=32, required=False, default="")
    risk_id = serializers.IntegerField(min_value=1, required=False, default=None)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class PackageListFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)


class PackageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    official = serializers.CharField(source="official.username")
    official_name = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=PackageKind.choices)
    what = serializers.CharField(source="label")
    region_code = serializers.CharField()
    case_number = serializers.CharField()
    risk_id = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    assigned_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)

    def get_official_name(self, row: Any) -> str:
        return str(row.official.display_name or row.official.username)
