"""Users in Django admin, with their role assignments inline. Changes made here are audited too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core import codes
from gridgov.core.access import ROLE_SPECS
from gridgov.core.audit import audit_record
from gridgov.core.clientaddress import client_address
from gridgov.regions.models import Region


class RoleAssignmentForm(ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "region_code", "is_active"]

    def clean(self) -> dict[str, Any] | None:
        # The same rules as the role_assign service, so admin cannot store an assignment that
        # would break scoping (an invalid code, or a role at a level it is not meant for).
        cleaned = super().clean()
        if cleaned is None:
            return None
        code, role = cleaned.get("region_code", ""), cleaned.get("role", "")
        if not code or not role:
            return cleaned
        if not codes.is_valid_code(code):
            self.add_error("region_code", _("Not a region code."))
        elif codes.level_of(code) not in ROLE_SPECS[role].levels:
            self.add_error("region_code", _("This role cannot be assigned at this level."))
        elif not Region.objects.filter(region_code=code).exists():
            self.add_error("region_code", _("No such region."))
        return cleaned


class RoleAssignmentInline(admin.TabularInline):
    """A user's roles, to read. Roles are given and taken on the accounts pages, through the
    `role_assign` service, which keeps the separation of duties (the system administrator gives
    only roles that read no personal data, nobody gives themselves a role, nobody holds two of the
    administrator, security administrator and auditor). Editable here, a superuser could give
    anyone, themselves included, any role."""

    model = RoleAssignment
    form = RoleAssignmentForm
    fields = ["role", "region_code", "is_active"]
    readonly_fields = ["role", "region_code", "is_active"]
    extra = 0
    # Kept as history: deactivate an assignment instead of deleting it.
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (None, {"fields": ("display_name",)}),
    )
    list_display = ["username", "display_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleAssignmentInline]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="user.change" if change else "user.create",
            object_type="user",
            object_id=obj.pk,
            client_address=client_address(request),
            detail={"via": "admin", "fields": sorted(form.changed_data)},
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        for assignment in formset.new_objects:
            self._audit_assignment(request, "role.assign", assignment)
        for assignment, changed_fields in formset.changed_objects:
            self._audit_assignment(request, "role.change", assignment, changed_fields)

    @staticmethod
    def _audit_assignment(
        request: HttpRequest, action: str, assignment: RoleAssignment, fields: Any = ()
    ) -> None:
        audit_record(
            actor=request.user,
            action=action,
            object_type="user",
            object_id=assignment.user_id,
            region_code=assignment.region_code,
            client_address=client_address(request),
            detail={
                "via": "admin",
                "role": assignment.role,
                "is_active": assignment.is_active,
                "fields": sorted(fields),
            },
        )
