"""Forms of the staff case pages. They parse and check shapes; the services decide the rest."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gridgov.cases.caller import CallerSearch
from gridgov.cases.models import (
    ACTION_VERBS,
    CASE_NUMBER,
    STATE_LABELS,
    Category,
    Channel,
    HandlingLevel,
    Urgency,
)
from gridgov.cases.selectors.waiting import WAITING_LABELS, Waiting
from gridgov.cases.services.intake import MAX_PHOTOS
from gridgov.cases.services.transitions import PUBLIC_NOTE_MAX_LENGTH
from gridgov.cases.states import WORKING_STATES, Action, State
from gridgov.core.pii import normalize_phone
from gridgov.core.timebounds import is_plausible

# A state's name on the pages (the model's choices carry the bare value).

TRANSFER_KIND_CHOICES = [
    ("department", _("A functional department (administrative)")),
    ("court", _("The court's mediation desk (judicial)")),
]

# How staff come to know of a case (residents, devices and Open311 have their own entrances).
# A grid worker picks from a village's few places; more than this are searched by name.
PLACE_SELECT_MAX = 60

STAFF_CHANNELS = [Channel.GRID_PATROL, Channel.HOTLINE, Channel.GROUP_CHAT, Channel.WALK_IN]


# Actions that may carry photos from the phone (what was found, what was done).
PHOTO_ACTIONS = frozenset({Action.START, Action.RESOLVE})


def category_label(category: Category) -> str:
    """The category's name in the page's language."""
    language = get_language() or ""
    return category.name_en if language.startswith("en") and category.name_en else category.name


def category_choices(categories: Iterable[Category]) -> list[tuple[str, Any]]:
    """Leaf categories grouped under their top level: the report form's two-level select."""
    categories = list(categories)
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    choices: list[tuple[str, Any]] = [("", _("Choose a category"))]
    for category in categories:
        if category.parent_id is not None:
            continue
        leaves = children.get(category.pk)
        if leaves:
            group = [(leaf.code, category_label(leaf)) for leaf in leaves]
            choices.append((category_label(category), group))
        else:
            # A top-level category without sub-categories is chosen as it is.
            choices.append((category_label(category), [(category.code, category_label(category))]))
    return choices


class CategoryField(forms.ChoiceField):
    """Rendered as the grouped select; any code passes here, so the service's word on it
    ("choose a sub-category") comes with the report's other problems, all at once."""

    def valid_value(self, value: Any) -> bool:
        return isinstance(value, str) and len(value) <= 64


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files from one input; their content is checked by the service (magic numbers)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/*", "capture": "environment"})

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)d photos."), params={"count": MAX_PHOTOS}, code="too_many"
            )
        return [super(PhotosField, self).clean(upload, initial) for upload in files]


class CaseReportForm(forms.Form):
    """A grid worker's report from the phone."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    category = CategoryField(label=_("category"))
    description = forms.CharField(
        label=_("description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    urgency = forms.ChoiceField(
        label=_("urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(channel.value, channel.label) for channel in STAFF_CHANNELS],
        initial=Channel.GRID_PATROL,
    )
    latitude = forms.FloatField(
        label=_("latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    region_code = forms.ChoiceField(label=_("region"), required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    photos = PhotosField(label=_("photos"))
    reporter_name = forms.CharField(label=_("reporter name"), max_length=64, required=False)
    reporter_phone = forms.CharField(
        label=_("reporter phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[Category],
        regions: Iterable[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = category_choices(categories)
        region_field = self.fields["region_code"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [("", _("Choose a region")), *regions]
        # A long list is searched by name instead of scrolled (the page asks the server).
        self.place_search = len(region_field.choices) > PLACE_SELECT_MAX
        self.chosen_place = dict(region_field.choices).get(self["region_code"].value() or "", "")
        if not self.is_bound:
            # A fresh key per rendered form: a double tap sends the same one twice.
            self.initial["idempotency_key"] = uuid.uuid4()


class QueueFilterForm(forms.Form):
    unit = forms.CharField(required=False, max_length=12)
    state = forms.ChoiceField(label=_("state"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False)
    urgency = forms.ChoiceField(
        label=_("urgency"), required=False, choices=[("", _("any")), *Urgency.choices]
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    waiting = forms.ChoiceField(
        label=_("list"),
        required=False,
        choices=[("", _("Being worked on")), *[(w.value, WAITING_LABELS[w]) for w in Waiting]],
    )
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, categories: Iterable[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        # A queue holds the cases being worked on.
        state_field.choices = [("", _("any"))] + [
            (state.value, STATE_LABELS[state]) for state in State if state in WORKING_STATES
        ]
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [("", _("any"))] + [
            (category.code, category_label(category))
            for category in categories
            if category.parent_id is None
        ]


class CaseNumbersField(forms.MultipleChoiceField):
    """Case numbers picked in a list; each is looked up (and scoped) by the view, so here only
    their shape is checked."""

    def valid_value(self, value: Any) -> bool:
        return isinstance(value, str) and bool(CASE_NUMBER.fullmatch(value))


class BulkDispatchForm(forms.Form):
    MAX_CASES = 100

    unit = forms.CharField(label=_("unit"), max_length=12)
    cases = CaseNumbersField(label=_("cases"))
    assignee = forms.TypedChoiceField(label=_("assignee"), coerce=int)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)

    def __init__(self, *args: Any, candidates: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee_field = self.fields["assignee"]
        assert isinstance(assignee_field, forms.TypedChoiceField)
        assignee_field.choices = [("", _("Choose who handles them")), *candidates]

    def clean_cases(self) -> list[str]:
        numbers: list[str] = self.cleaned_data["cases"]
        if len(numbers) > self.MAX_CASES:
            raise forms.ValidationError(
                _("At most %(count)d cases at once."), params={"count": self.MAX_CASES}
            )
        return list(dict.fromkeys(numbers))


class BulkAcceptForm(forms.Form):
    unit = forms.CharField(label=_("unit"), max_length=12)
    cases = CaseNumbersField(label=_("cases"))
    note = forms.CharField(label=_("note"), required=False, max_length=2000)

    def clean_cases(self) -> list[str]:
        numbers: list[str] = self.cleaned_data["cases"]
        if len(numbers) > BulkDispatchForm.MAX_CASES:
            raise forms.ValidationError(
                _("At most %(count)d cases at once."), params={"count": BulkDispatchForm.MAX_CASES}
            )
        return list(dict.fromkeys(numbers))


class ActionForm(forms.Form):
    """One action on one case; what it needs besides the action depends on the action."""

    action = forms.ChoiceField(
        choices=[(action.value, ACTION_VERBS[action]) for action in Action if action != "merge"]
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee = forms.TypedChoiceField(label=_("assignee"), required=False, coerce=int)
    transfer_kind = forms.ChoiceField(
        label=_("transfer to"),
        required=False,
        choices=[("", "—"), *TRANSFER_KIND_CHOICES],
    )
    transfer_to = forms.CharField(label=_("department or desk"), required=False, max_length=120)
    public_note = forms.CharField(
        label=_("for the resident"), required=False, max_length=PUBLIC_NOTE_MAX_LENGTH
    )
    photos = PhotosField(label=_("photos"))
    next = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        assignee_field = self.fields["assignee"]
        assert isinstance(assignee_field, forms.TypedChoiceField)
        assignee_field.choices = [("", _("Choose who handles it")), *candidates]

    # What each action needs (a note, an assignee, a transfer target) is checked by the service,
    # so the rule lives in one place; its errors come back onto these fields.


class MergeForm(forms.Form):
    into = forms.CharField(label=_("the case to merge into (its number)"), max_length=32)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)


class RevealContactForm(forms.Form):
    reason = forms.CharField(
        label=_("why you need the reporter's contact"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class OverdueFilterForm(forms.Form):
    show = forms.ChoiceField(
        required=False,
        choices=[("overdue", _("Overdue")), ("escalated", _("Escalated"))],
    )
    town = forms.CharField(required=False, max_length=9)
    level = forms.CharField(required=False, max_length=8)
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


# The all-cases list's pseudo-state: every case not yet finished.
OPEN = "open"


class CallerSearchForm(forms.Form):
    """The reporter's phone, sent in a POST's body: the list is then addressed by a token."""

    phone = forms.CharField(label=_("reporter's phone"), max_length=32)

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("This is not a valid phone number."))
        return phone


class AllCasesForm(forms.Form):
    """The all-cases list's search and filters (GET). Places are chosen from the actor's towns
    and villages, then a village's grids; a reporter's phone comes as a `CallerSearch` token."""

    q = forms.CharField(label=_("number or words"), required=False, max_length=64)
    caller = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[
            ("", _("any")),
            (OPEN, _("open (any state before closing)")),
            *STATE_LABELS.items(),
        ],
    )
    level = forms.ChoiceField(
        label=_("level"), required=False, choices=[("", _("any")), *HandlingLevel.choices]
    )
    place = forms.ChoiceField(label=_("town or village"), required=False)
    grid = forms.ChoiceField(label=_("grid"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False)
    channel = forms.ChoiceField(
        label=_("channel"), required=False, choices=[("", _("any")), *Channel.choices]
    )
    reported_from = forms.DateField(
        label=_("reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_to = forms.DateField(
        label=_("reported until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    # Escalated at some time (by hand or by the sweep), whatever its level now.
    escalated = forms.BooleanField(label=_("escalated only"), required=False)
    # From a score's component: one account's reports, or the cases dispatched to them, and
    # only the cases a unit handled (not refused at intake, not merged into another).
    reporter = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    handler = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    handled = forms.BooleanField(label=_("handled only (not refused, not merged)"), required=False)
    rated = forms.ChoiceField(
        label=_("rating"),
        required=False,
        choices=[("", _("any")), ("yes", _("rated")), ("no", _("not rated"))],
    )
    order = forms.ChoiceField(
        label=_("order"),
        required=False,
        choices=[
            ("newest", _("newest first")),
            ("oldest", _("waiting longest first")),
            ("deadline", _("soonest deadline first")),
        ],
    )
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        places: Iterable[tuple[str, str]],
        grids: Iterable[tuple[str, str]],
        categories: Iterable[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("place", [("", _("anywhere")), *places])
        self._set_choices("grid", [("", _("any")), *grids])
        self._set_choices("category", [("", _("any")), *category_filter_choices(categories)])

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_caller(self) -> CallerSearch | None:
        token = self.cleaned_data["caller"].strip()
        if not token:
            return None
        caller = CallerSearch.from_token(token)
        if caller is None:
            raise forms.ValidationError(_("This phone search is not valid; search again."))
        return caller

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None:
            return None
        start, end = cleaned.get("reported_from"), cleaned.get("reported_to")
        for name, value in (("reported_from", start), ("reported_to", end)):
            if value and not is_plausible(value):
                self.add_error(name, _("Enter a date between 1970 and 2200."))
                return cleaned
        if start and end and start > end:
            self.add_error("reported_to", _("The end date is before the start date."))
        return cleaned


def category_filter_choices(categories: Iterable[Category]) -> list[tuple[str, Any]]:
    """Each top-level category (all its sub-categories), then its sub-categories, indented."""
    categories = list(categories)
    choices: list[tuple[str, Any]] = []
    for top in (c for c in categories if c.parent_id is None):
        choices.append((top.code, category_label(top)))
        choices += [
            (leaf.code, "\u3000" + category_label(leaf))
            for leaf in categories
            if leaf.parent_id == top.pk
        ]
    return choices
