"""Input and output shapes of the cases API. Personal data leaves only masked (see MaskedField)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime, tzinfo
from types import MappingProxyType
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gridgov.cases.caller import CallerSearch
from gridgov.cases.models import ACTION_LABELS, Case, Channel, HandlingLevel, Urgency
from gridgov.cases.policy import actions_for
from gridgov.cases.selectors.cases import visible_linked_case
from gridgov.cases.services import CaseInput
from gridgov.cases.services.transitions import TRANSFER_KINDS
from gridgov.cases.states import WORKING_STATES, Action, State
from gridgov.core.pii import normalize_phone
from gridgov.core.query_params import QueryParams
from gridgov.core.timebounds import is_plausible

# Channels staff enter cases through; residents and Open311 clients have their own entry points.
STAFF_CHANNELS = [
    Channel.GRID_PATROL,
    Channel.HOTLINE,
    Channel.GROUP_CHAT,
    Channel.WALK_IN,
    Channel.DEVICE_ALARM,
]
MAX_PAGE_SIZE = 200
CODE_PATTERN = r"^[0-9]{6,18}$"


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):
    """Personal data, shown masked: an EncryptedValue prints as its mask, so `str()` is enough
    and the full value never reaches a response through this field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value)


# --- input ----------------------------------------------------------------------------------


class CaseReportInput(serializers.Serializer):
    category = serializers.SlugField(max_length=64, help_text="A leaf category code.")
    description = serializers.CharField(max_length=5000)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in STAFF_CHANNELS], default=Channel.GRID_PATROL
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    lng = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    region_code = serializers.RegexField(
        CODE_PATTERN,
        required=False,
        allow_blank=True,
        default="",
        help_text="Where it happened when there is no map point (with an address).",
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reporter_name = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    reporter_phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="JPEG, PNG or WebP, at most 6 of 5 MB each (multipart only).",
    )

    def to_case_input(self) -> CaseInput:
        data = self.validated_data
        return CaseInput(
            category_code=data["category"],
            description=data["description"],
            channel=data["channel"],
            title=data["title"],
            urgency=data["urgency"],
            latitude=data.get("lat"),
            longitude=data.get("lng"),
            region_code=data["region_code"],
            address=data["address"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            photos=list(data["photos"]),
        )


class TransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a.value, a.value) for a in Action])
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    assignee = serializers.CharField(
        max_length=150, required=False, help_text="Username of the handler (dispatch)."
    )
    transfer_kind = serializers.ChoiceField(
        choices=sorted(TRANSFER_KINDS), required=False, help_text="For transfer."
    )
    transfer_to = serializers.CharField(
        max_length=128, required=False, allow_blank=True, default="", help_text="For transfer."
    )
    into = serializers.CharField(
        max_length=32, required=False, help_text="Number of the case to merge into (merge)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["action"] == Action.MERGE and not attrs.get("into"):
            raise serializers.ValidationError({"into": ["name the case to merge into"]})
        return attrs


class RevealContactInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why you need the contact in full.")


class CaseListFilter(QueryParams):
    state = serializers.ChoiceField(choices=[(s.value, s.value) for s in State], required=False)
    open = serializers.BooleanField(required=False, default=False)
    overdue = serializers.BooleanField(required=False, default=False)
    escalated = serializers.BooleanField(required=False, default=False)
    category = serializers.SlugField(max_length=64, required=False)
    level = serializers.ChoiceField(choices=HandlingLevel.choices, required=False)
    handling_code = serializers.RegexField(r"^[0-9]{6,12}$", required=False)
    assignee = serializers.ChoiceField(choices=[("me", "me")], required=False)
    region = serializers.RegexField(CODE_PATTERN, required=False)
    q = serializers.CharField(
        max_length=64,
        required=False,
        help_text="A case number (exact), or words of the title, description or address.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    caller = serializers.CharField(
        max_length=400,
        required=False,
        help_text=(
            "A reporter's phone as `POST /api/v1/cases/caller-search/` answers it (a signed "
            "token): the phone itself never goes in an address."
        ),
    )
    reported_from = serializers.DateTimeField(required=False)
    reported_before = serializers.DateTimeField(required=False)
    rated = serializers.BooleanField(required=False, allow_null=True, default=None)
    # Bounded to a 64-bit id: a larger one is no account's, and SQLite cannot take it (a 500).
    reporter_id = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text="Only the cases this account reported.",
    )
    assignee_id = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text="Only the cases dispatched to this account.",
    )
    handled = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Leave out the cases refused at intake and those merged into another.",
    )
    order = serializers.ChoiceField(choices=["newest", "oldest", "deadline"], default="newest")

    def validate_caller(self, value: str) -> str:
        search = CallerSearch.from_token(value)
        if search is None:
            raise serializers.ValidationError(_("This search has expired or was altered."))
        return search.phone_hash

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("reported_from", "reported_before"):
            if attrs.get(name) is not None and not is_plausible(attrs[name]):
                raise serializers.ValidationError({name: _("Enter a date between 1970 and 2200.")})
        return attrs

    cursor = serializers.CharField(max_length=512, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=50)


# What a client's first page asks for. Their validation depends on nothing but their text (no
# clock, no signature), so the answer for the same text is kept: validating the list's 21
# parameters was a tenth of the list's CPU.
_FIRST_PAGE_PARAMETERS = frozenset({"page_size", "order"})


def case_list_query(params: QueryDict) -> Mapping[str, Any]:
    """CaseListFilter's validated data for the query `params` (ValidationError, a 400, for bad
    ones); read-only."""
    if params.keys() <= _FIRST_PAGE_PARAMETERS:
        return _first_page_query(tuple((key, tuple(params.getlist(key))) for key in sorted(params)))
    return _validated(params)


@functools.lru_cache(maxsize=64)
def _first_page_query(items: tuple[tuple[str, tuple[str, ...]], ...]) -> Mapping[str, Any]:
    params = QueryDict(mutable=True)
    for key, values in items:
        params.setlist(key, list(values))
    # A refusal raises, and lru_cache keeps no exception: it is made again, in the reader's language.
    return _validated(params)


def _validated(params: QueryDict) -> Mapping[str, Any]:
    serializer = CaseListFilter(data=params)
    serializer.is_valid(raise_exception=True)
    return MappingProxyType(serializer.validated_data)


class CallerSearchInput(serializers.Serializer):
    phone = serializers.CharField(max_length=32, help_text="The reporter's phone.")

    def validate_phone(self, value: str) -> str:
        normalized = normalize_phone(value)
        if normalized is None:
            raise serializers.ValidationError(_("This is not a valid phone number."))
        return normalized


class CallerSearchOutput(serializers.Serializer):
    caller = serializers.CharField(help_text="Give it as `caller` to the case list.")
    masked = serializers.CharField(help_text="The phone as pages show it.")
    cases = serializers.CharField(help_text="The case list of that reporter's cases.")


# --- output ---------------------------------------------------------------------------------


class CategoryRefOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class UserRefOutput(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()


class CaseListOutput(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()
    # Plain strings, not enums: the schema's enum names would collide with the regions' `level`
    # and the staff-only `channel` of the report input.
    level = serializers.CharField(help_text="village, town or county")
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    channel = serializers.CharField(help_text="The channel it came in through.")
    category = CategoryRefOutput()
    region_code = serializers.CharField(help_text="Where it happened.")
    handling_code = serializers.CharField(help_text="The unit handling it now.")
    assignee = UserRefOutput(allow_null=True)
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True, help_text="The deadline that applies now.")
    is_overdue = serializers.SerializerMethodField()

    def get_is_overdue(self, case: Case) -> bool:
        return (
            case.due_at is not None
            and case.state in WORKING_STATES
            and case.due_at < timezone.now()
        )


def _iso_datetime(value: datetime, zone: tzinfo) -> str:
    """What DRF's DateTimeField writes (ISO 8601 in the current time zone `zone`, `Z` for UTC),
    without its per-call machinery: a list writes two per row."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def case_list_item(row: dict[str, Any], *, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """`CaseListOutput(case).data` from a row of `case_list_values`, written out by hand: a list
    of 50 cases spent most of its time in DRF's generic serializer machinery and in building model
    instances. The schema still documents `CaseListOutput`, and a test checks the two give the
    same answer for every kind of case. `zone` is the current time zone, looked up once a page:
    each lookup goes through the thread's locals."""
    due_at = row["due_at"]
    return {
        "number": row["number"],
        "title": row["title"],
        "state": row["state"],
        "level": row["level"],
        "urgency": row["urgency"],
        "channel": row["channel"],
        "category": {"code": row["category__code"], "name": row["category__name"]},
        "region_code": row["region_code"],
        "handling_code": row["handling_code"],
        "assignee": (
            None
            if row["assignee__username"] is None
            else {
                "username": row["assignee__username"],
                "display_name": row["assignee__display_name"],
            }
        ),
        "created_at": _iso_datetime(row["created_at"], zone),
        "due_at": None if due_at is None else _iso_datetime(due_at, zone),
        "is_overdue": due_at is not None and row["state"] in WORKING_STATES and due_at < now,
    }


class LocationOutput(serializers.Serializer):
    lat = serializers.FloatField(source="latitude", allow_null=True)
    lng = serializers.FloatField(source="longitude", allow_null=True)
    region_code = serializers.CharField()
    grid_code = serializers.CharField()
    address = serializers.CharField()


class PhotoOutput(serializers.Serializer):
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class CaseDetailOutput(CaseListOutput):
    """One case; `actions` are what the viewer may take now (context `actor`)."""

    description = serializers.CharField()
    location = LocationOutput(source="*")
    reporter_name = MaskedField()
    reporter_phone = MaskedField()
    accept_deadline_at = serializers.DateTimeField(allow_null=True)
    resolve_deadline_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    transferred_to = serializers.CharField()
    possible_duplicate_of = serializers.SerializerMethodField(
        help_text=(
            "The open case this one may repeat (same category, 200 m, 48 hours); null when "
            "there is none or it lies outside your jurisdiction."
        )
    )
    merged_into = serializers.SerializerMethodField(
        help_text="The case this one was merged into; null when none or outside your jurisdiction."
    )
    rating = serializers.IntegerField(allow_null=True)
    rating_comment = serializers.CharField()
    photos = PhotoOutput(many=True, source="photos.all")

    def _linked_number(self, linked: Case | None) -> str | None:
        actor = self.context.get("actor")
        if actor is None:
            return None
        visible = visible_linked_case(actor=actor, linked=linked)
        return visible.number if visible is not None else None

    def get_possible_duplicate_of(self, case: Case) -> str | None:
        return self._linked_number(case.possible_duplicate_of)

    def get_merged_into(self, case: Case) -> str | None:
        return self._linked_number(case.merged_into)

    actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        return [str(action) for action in actions_for(self.context["actor"], case)]


class CasePageOutput(serializers.Serializer):
    results = CaseListOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")


class TimelineOutput(serializers.Serializer):
    who = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at")
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    level_before = serializers.CharField()
    level_after = serializers.CharField()
    note = serializers.CharField()
    # DRF's metaclass moves declared fields off the class, so this does not shadow `.data`.
    data = serializers.JSONField()  # type: ignore[assignment]

    def get_who(self, event: Any) -> str | None:
        # Residents' reports and the overdue sweep have no staff actor.
        return str(event.actor) if event.actor_id else None

    def get_action_label(self, event: Any) -> str:
        return str(ACTION_LABELS.get(event.action, event.action))


class SlaOutput(serializers.Serializer):
    accept_hours_urgent = serializers.IntegerField()
    accept_hours = serializers.IntegerField()
    resolve_days = serializers.IntegerField()


class SubCategoryOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField()
    is_dispute = serializers.BooleanField()
    sla = SlaOutput(source="*", help_text="Defaults; a level may have its own rule.")


class CategoryOutput(SubCategoryOutput):
    """A top-level category with its sub-categories (context `children`: parent id -> list)."""

    children = serializers.SerializerMethodField()

    @extend_schema_field(SubCategoryOutput(many=True))
    def get_children(self, category: Any) -> Any:
        children = self.context["children"].get(category.pk, [])
        return SubCategoryOutput(children, many=True).data


class ContactOutput(serializers.Serializer):
    """The reporter's contact in full: only from the audited reveal-contact action."""

    number = serializers.CharField()
    reporter_name = serializers.CharField()
    reporter_phone = serializers.CharField()
