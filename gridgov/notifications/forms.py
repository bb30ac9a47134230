from __future__ import annotations

from django import forms


class InboxReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    all = forms.BooleanField(required=False)
    unread = forms.BooleanField(required=False)
