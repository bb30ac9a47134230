"""Cases in Django admin: the classification and its deadlines (editable, audited), cases and the
inbox read-mostly. Cases change only through the state machine (the case pages and the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from gridgov.cases.models import Case, CaseEvent, Category, SlaRule
from gridgov.core.audit import audit_record
from gridgov.core.clientaddress import client_address

_SLA_FIELDS = ["accept_hours_urgent", "accept_hours", "resolve_days"]


class SlaRuleInline(admin.TabularInline):
    model = SlaRule
    fields = ["level", *_SLA_FIELDS]
    extra = 0
    max_num = 3  # one per handling level


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "name_en",
        "parent",
        "is_dispute",
        "public",
        *_SLA_FIELDS,
        "is_active",
    ]
    # Deadlines are edited in the list; a change applies to deadlines set from then on.
    list_editable = [*_SLA_FIELDS, "is_active"]
    list_filter = ["parent", "is_dispute", "public", "is_active"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["sort_order", "code"]
    inlines = [SlaRuleInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Cases keep their category for good; retire one with "active" instead.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit(
            request,
            "case_category.change" if change else "case_category.create",
            obj.code,
            {field: getattr(obj, field) for field in form.changed_data if field in _SLA_FIELDS}
            | {"fields": sorted(form.changed_data)},
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        for rule in formset.new_objects:
            _audit(request, "sla_rule.create", rule.category.code, _rule_detail(rule))
        for rule, fields in formset.changed_objects:
            _audit(request, "sla_rule.change", rule.category.code, _rule_detail(rule, fields))
        for rule in formset.deleted_objects:
            _audit(request, "sla_rule.delete", rule.category.code, {"level": rule.level})


def _rule_detail(rule: SlaRule, fields: Any = ()) -> dict[str, Any]:
    return {
        "level": rule.level,
        **{f: getattr(rule, f) for f in _SLA_FIELDS},
        "fields": sorted(fields),
    }


def _audit(request: HttpRequest, action: str, code: str, detail: dict[str, Any]) -> None:
    audit_record(
        actor=request.user,
        action=action,
        object_type="case_category",
        object_id=code,
        client_address=client_address(request),
        detail={"via": "admin", **detail},
    )


_EVENT_FIELDS = [
    "created_at",
    "actor",
    "action",
    "from_state",
    "to_state",
    "level_before",
    "level_after",
    "note",
]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = tuple(_EVENT_FIELDS)
    readonly_fields = _EVENT_FIELDS
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, searched and filtered, never written here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "title",
        "category",
        "state",
        "level",
        "handling_code",
        "urgency",
        "assignee",
        "created_at",
        "due_at",
    ]
    list_filter = ["state", "level", "urgency", "channel"]
    search_fields = ["number", "title"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # counting half a million rows on every page is slow
    list_select_related = ["category", "assignee"]
    # The reporter's contact stays out of admin: revealing it is an audited action with a reason.
    exclude = ["reporter_name", "reporter_phone", "reporter_phone_hash", "tracking_token"]
    raw_id_fields = [
        "category",
        "assignee",
        "resolved_by",
        "reporter",
        "merged_into",
        "possible_duplicate_of",
    ]
    inlines = [CaseEventInline]
    ordering = ["-created_at", "-id"]
