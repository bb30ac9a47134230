"""Forms of the account-management pages: input parsing only; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.models import User
from gridgov.core.access import ROLE_SPECS, Role
from gridgov.core.codes import is_valid_code, level_of
from gridgov.regions.selectors import RegionBranch

# Residents' accounts are residents' data, which the system administrator does not read.
STAFF_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value != Role.RESIDENT]


class RegionCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("region code"))
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault(
            "help_text", _("6 digits for a county, 9 for a town, 12 for a village, 15 for a grid.")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        code = str(super().clean(value) or "").strip()
        if not code and not self.required:
            return ""
        if not is_valid_code(code):
            raise ValidationError(_("Not a region code."), code="invalid")
        return code


class RegionTreeForm(forms.Form):
    """A form whose region is picked from the region tree (pages render `region_tree` as nested
    lists of radio buttons, a level at a time), not typed as a code."""

    region_field = "region_code"

    def __init__(self, *args: Any, region_tree: list[RegionBranch] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields[self.region_field]
        field.region_tree = region_tree or []  # type: ignore[attr-defined]
        field.help_text = ""

    @property
    def chosen_region(self) -> str:
        value = self[self.region_field].value()
        return str(value or "")


class RoleAssignForm(RegionTreeForm):
    role = forms.ChoiceField(label=_("role"), choices=STAFF_ROLE_CHOICES)
    region_code = RegionCodeField(label=_("region"))

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None:
            return None
        role, code = cleaned.get("role"), cleaned.get("region_code")
        # role_assign checks this too; checking here gives the message in the reader's language.
        if role and code and level_of(code) not in ROLE_SPECS[role].levels:
            self.add_error("region_code", _("This role cannot be assigned at this level."))
        return cleaned


class UserCreateForm(RoleAssignForm):
    """A new account and its first role: an account without a role would be outside every
    administrator's jurisdiction, so nobody could manage it."""

    username = forms.CharField(
        label=_("username"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    display_name = forms.CharField(label=_("display name"), max_length=64, required=False)
    password1 = forms.CharField(
        label=_("password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "display_name", "password1", "password2", "role", "region_code"]

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        # Case-insensitive, so "Zhang" and "zhang" cannot both exist and be confused at login.
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."), code="taken")
        return username

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None:
            return None
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserSearchForm(RegionTreeForm):
    """The account list's filters: a name, a role, a region (the accounts holding a role in its
    subtree) and whether the account may log in."""

    class Status:
        ACTIVE = "active"
        DISABLED = "disabled"

    STATUS_CHOICES = [
        ("", _("all accounts")),
        (Status.ACTIVE, _("active")),
        (Status.DISABLED, _("account disabled")),
    ]

    q = forms.CharField(label=_("search"), required=False, max_length=150)
    role = forms.ChoiceField(
        label=_("role"), required=False, choices=[("", _("all roles")), *STAFF_ROLE_CHOICES]
    )
    region_code = RegionCodeField(label=_("region"), required=False)
    status = forms.ChoiceField(label=_("account"), required=False, choices=STATUS_CHOICES)

    def clean_region_code(self) -> str:
        return str(self.cleaned_data.get("region_code") or "")


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("display name"), max_length=64, required=False)


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's own form (the old password checked, the new one twice and validated); the
    service writes it."""
