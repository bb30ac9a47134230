"""Pages for auditors: the audit log and its chain check."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from gridgov.core.access import Perm
from gridgov.core.audit_labels import (
    action_choices,
    action_label,
    detail_lines,
    region_display_names,
)
from gridgov.core.models import AuditEntry
from gridgov.core.pages import page_view
from gridgov.core.scoping import request_actor, require_permission
from gridgov.core.selectors import AuditFilters, audit_page, audit_verify
from gridgov.core.timebounds import is_plausible

# Any action's name, or a family's ("case."): a link may filter by one the list does not name.
_ACTION_NAME = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*\.?")


class ActionField(forms.ChoiceField):
    def valid_value(self, value: Any) -> bool:
        return super().valid_value(value) or bool(_ACTION_NAME.fullmatch(str(value)))


class AuditFilterForm(forms.Form):
    action = ActionField(label=_("action"), required=False)
    outcome = forms.ChoiceField(
        label=_("outcome"),
        required=False,
        choices=[("", _("any")), *AuditEntry.Outcome.choices],
    )
    actor = forms.CharField(label=_("actor username"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("any")), *action_choices()]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None:
            return None
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        for name, value in (("date_from", date_from), ("date_to", date_to)):
            if value and not is_plausible(value):
                self.add_error(name, _("Enter a date between 1970 and 2200."))
                return cleaned
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            action=data["action"].strip(),
            outcome=data["outcome"],
            actor_username=data["actor"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            after_id=data["after"],
        )


@require_GET
@page_view
def audit_list_view(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    # An invalid filter shows the form with its errors and no rows, never the unfiltered log;
    # the permission is checked either way, so a non-auditor always gets 403.
    actor = request_actor(request)
    entries: list[AuditEntry] = []
    next_query = None
    if form.is_valid():
        page = audit_page(actor=actor, filters=form.filters())
        entries = page.entries
        if page.next_after_id is not None:
            query = request.GET.copy()
            query["after"] = str(page.next_after_id)
            next_query = query.urlencode()
    else:
        require_permission(actor, Perm.AUDIT_VIEW)
    names = region_display_names(entry.region_code for entry in entries)
    for entry in entries:
        readable = cast(Any, entry)
        readable.action_label = action_label(entry.action)
        readable.region_name = names.get(entry.region_code, "")
        readable.detail_lines = detail_lines(entry.detail or {})
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "entries": entries,
            "next_query": next_query,
            "is_first_page": not (form.is_valid() and form.cleaned_data["after"]),
        },
    )


@require_GET
@page_view
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    result = audit_verify(actor=request_actor(request))
    chain_names = region_display_names(head.chain for head in result.heads)
    named_heads = [(head, chain_names.get(head.chain, "")) for head in result.heads]
    return render(request, "audit/verify.html", {"result": result, "named_heads": named_heads})
