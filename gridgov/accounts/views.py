"""Account management pages for system administrators: users in their jurisdiction, their roles,
new accounts and lockouts. Nothing here shows residents' or cases' data."""

from __future__ import annotations

from dataclasses import dataclass

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.accounts.forms import RoleAssignForm, UserCreateForm, UserSearchForm
from gridgov.accounts.models import RoleAssignment, User
from gridgov.accounts.services import role_assign, role_revoke, user_create, user_unlock
from gridgov.core.access import Perm, Role
from gridgov.core.errors import Conflict, NotFound, ValidationFailed
from gridgov.core.scoping import Actor, require_permission, scope_queryset
from gridgov.core.views import page_view
from gridgov.regions.models import Region

USERS_PAGE_SIZE = 50


# Reads for these pages. Every one starts from the actor's scoped role assignments, so a user
# who holds no role inside the jurisdiction is invisible (404) as if missing.


def _managed_assignments(actor: Actor) -> QuerySet[RoleAssignment]:
    # Residents' accounts are residents' data, which the administrator does not read.
    return scope_queryset(
        RoleAssignment.objects.exclude(role=Role.RESIDENT),
        actor=actor,
        permission=Perm.ACCOUNTS_MANAGE,
    )


def _managed_users(actor: Actor, *, search: str = "") -> QuerySet[User]:
    assignments = _managed_assignments(actor)
    users = User.objects.filter(pk__in=assignments.values("user_id"))
    if search:
        users = users.filter(Q(username__icontains=search) | Q(display_name__icontains=search))
    # Only the assignments inside the jurisdiction: another county's roles are not the admin's to see.
    return users.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=assignments.order_by("-is_active", "region_code", "role"),
            to_attr="visible_assignments",
        )
    ).order_by("username")


def _managed_user(actor: Actor, user_id: int) -> User:
    user = _managed_users(actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def _name_regions(users: list[User]) -> None:
    """Give each visible assignment its region's name, in one query for the page."""
    assignments = [a for user in users for a in getattr(user, "visible_assignments", [])]
    names = dict(
        Region.objects.filter(region_code__in={a.region_code for a in assignments}).values_list(
            "region_code", "name"
        )
    )
    for assignment in assignments:
        assignment.region_name = names.get(assignment.region_code, "")


@dataclass(frozen=True)
class Lockout:
    failures: int
    locked: bool


def _lockout(user: User) -> Lockout:
    attempts = AccessAttempt.objects.filter(username=user.username)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    limit = getattr(settings, "AXES_FAILURE_LIMIT", 3)
    return Lockout(
        failures=failures, locked=attempts.filter(failures_since_start__gte=limit).exists()
    )


def _apply_errors(form: forms.Form, error: ValidationFailed) -> None:
    """Show a service's field errors on the form; fields the form lacks go to the top.

    The form has already checked the code's shape and the role's level in the reader's language,
    so a region error left for the service to find means the region does not exist.
    """
    for field, field_messages in error.errors.items():
        if field == "region_code":
            form.add_error(field, _("No such region in your jurisdiction."))
            continue
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


# Pages


@require_GET
@page_view
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    search_form = UserSearchForm(request.GET)
    search = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    page = Paginator(_managed_users(actor, search=search), USERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _name_regions(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "search_form": search_form,
            "page_obj": page,
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@page_view
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    # The permission comes first, so a non-administrator gets 403 and never sees the form.
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: an account is never left without the role that places it.
            with transaction.atomic():
                user = user_create(
                    actor=actor,
                    username=data["username"],
                    password=data["password1"],
                    display_name=data["display_name"],
                    region_code=data["region_code"],
                )
                role_assign(
                    actor=actor, user=user, role=data["role"], region_code=data["region_code"]
                )
        except ValidationFailed as error:
            _apply_errors(form, error)
        except NotFound:
            form.add_error("region_code", _("No such region in your jurisdiction."))
        else:
            messages.success(request, _("Account %(username)s created.") % {"username": user})
            return redirect("accounts:user", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _user_page(request: HttpRequest, user: User, assign_form: RoleAssignForm) -> HttpResponse:
    _name_regions([user])
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed_user": user,
            "assignments": user.visible_assignments,  # type: ignore[attr-defined]
            "assign_form": assign_form,
            "lockout": _lockout(user),
        },
    )


@require_GET
@page_view
def user_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = _managed_user(actor, user_id)
    return _user_page(request, user, RoleAssignForm())


@require_POST
@page_view
def role_assign_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = _managed_user(actor, user_id)
    form = RoleAssignForm(request.POST)
    if form.is_valid():
        try:
            role_assign(
                actor=actor,
                user=user,
                role=form.cleaned_data["role"],
                region_code=form.cleaned_data["region_code"],
            )
        except ValidationFailed as error:
            _apply_errors(form, error)
        except NotFound:
            form.add_error("region_code", _("No such region in your jurisdiction."))
        else:
            messages.success(request, _("Role assigned."))
            return redirect("accounts:user", user_id=user.pk)
    return _user_page(request, user, form)


@require_POST
@page_view
def role_revoke_view(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = _managed_user(actor, user_id)
    # The assignment must be this user's and visible here: a mismatched URL answers 404.
    if not any(a.pk == assignment_id for a in user.visible_assignments):  # type: ignore[attr-defined]
        raise NotFound(f"role assignment {assignment_id} not found")
    try:
        role_revoke(actor=actor, assignment_id=assignment_id)
    except Conflict:
        messages.error(request, _("You cannot revoke your own account-management role."))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:user", user_id=user.pk)


@require_POST
@page_view
def user_unlock_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = _managed_user(actor, user_id)
    user_unlock(actor=actor, user=user)
    messages.success(request, _("Login lockout cleared for %(username)s.") % {"username": user})
    return redirect("accounts:user", user_id=user.pk)
