"""Forms of the broadcast pages. They parse and check shapes; the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from gridgov.broadcast.models import (
    Broadcast,
    Certainty,
    MessageKind,
    Severity,
    TerminalStatus,
    Urgency,
)
from gridgov.broadcast.services import (
    MAX_REPEATS,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    BroadcastInput,
)
from gridgov.broadcast.states import PERSON_ACTIONS

_LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ComposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    text = forms.CharField(
        label=_("Text to broadcast"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MessageKind.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.MODERATE
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.EXPECTED
    )
    certainty = forms.ChoiceField(
        label=_("Certainty"), choices=Certainty.choices, initial=Certainty.LIKELY
    )
    targets = forms.MultipleChoiceField(
        label=_("Where it is broadcast"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=_LOCAL_TIME,
        help_text=_("Empty: as soon as it is approved."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"),
        required=False,
        widget=_LOCAL_TIME,
        help_text=_("Empty: six hours after it is sent."),
    )
    repeats = forms.IntegerField(
        label=_("Times played"), min_value=1, max_value=MAX_REPEATS, initial=1
    )
    supersedes = forms.IntegerField(label=_("Update of message"), required=False, min_value=1)
    audio = forms.FileField(
        label=_("Recording"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".wav,.mp3,.ogg,audio/*"}),
        help_text=_(
            "A WAV, MP3 or Ogg recording of at most 10 MB, played instead of the text. Without "
            "one, speech is made from the text where the server has a speech engine."
        ),
    )

    # The recording chosen before the preview, kept on the server (audio.audio_stage).
    kept_audio = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = self.fields["targets"]
        assert isinstance(targets, forms.MultipleChoiceField)
        # By name: the composer knows the villages by name, not by their statistical codes.
        targets.choices = list(regions)

    def to_input(self, *, audio: UploadedFile | None = None) -> BroadcastInput:
        """The message as the services take it; `audio` (a kept recording) when none was sent."""
        data = self.cleaned_data
        return BroadcastInput(
            title=data["title"],
            text=data["text"],
            kind=data["kind"],
            severity=data["severity"],
            urgency=data["urgency"],
            certainty=data["certainty"],
            target_codes=list(data["targets"]),
            scheduled_at=data.get("scheduled_at"),
            expires_at=data.get("expires_at"),
            repeats=data["repeats"],
            supersedes_id=data.get("supersedes"),
            audio=data.get("audio") or audio,
        )


def initial_of(broadcast: Broadcast) -> dict[str, Any]:
    return {
        "title": broadcast.title,
        "text": broadcast.text,
        "kind": broadcast.kind,
        "severity": broadcast.severity,
        "urgency": broadcast.urgency,
        "certainty": broadcast.certainty,
        "targets": list(broadcast.target_codes),
        "scheduled_at": broadcast.scheduled_at,
        "expires_at": broadcast.expires_at,
        "repeats": broadcast.repeats,
        "supersedes": broadcast.supersedes_id,
    }


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action.value, action.value) for action in PERSON_ACTIONS])
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False, widget=forms.Textarea
    )


class TerminalImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False, initial=True)


class TerminalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *TerminalStatus.choices],
        required=False,
    )
