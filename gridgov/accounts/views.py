"""Account pages: everyone's own account and API tokens; users in the actor's jurisdiction, their
roles and tokens (for the system administrator, the security administrator and the county leader);
new accounts and lockouts (the system administrator's). Nothing here shows residents' or cases'
data."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.accounts.errors import ASSIGNMENT_NOT_FOUND
from gridgov.accounts.forms import RoleAssignForm, UserCreateForm, UserSearchForm
from gridgov.accounts.models import User
from gridgov.accounts.selectors import (
    live_api_tokens,
    lockout_state,
    managed_user,
    managed_users,
    name_assignment_regions,
    user_jurisdiction,
)
from gridgov.accounts.services import (
    api_token_revoke,
    role_assign,
    role_revoke,
    user_create,
    user_unlock,
)
from gridgov.core.access import Perm
from gridgov.core.errors import Conflict, NotFound, ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission

USERS_PAGE_SIZE = 50


# Pages


@require_GET
@page_view
def account_view(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own account: roles and live API tokens."""
    actor = actor_from(request)
    return render(
        request,
        "accounts/account.html",
        {"account": user_jurisdiction(actor=actor), "tokens": live_api_tokens(user=actor)},
    )


@require_POST
@page_view
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = actor_from(request)
    token = api_token_revoke(actor=actor, token_id=token_id)
    messages.success(request, _("API token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("accounts:me")


@require_GET
@page_view
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    search_form = UserSearchForm(request.GET)
    search = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    page = Paginator(managed_users(actor=actor, search=search), USERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    name_assignment_regions(users=list(page.object_list))
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
            add_problems(form, error)
        except NotFound:
            form.add_error("region_code", _("No such region in your jurisdiction."))
        else:
            messages.success(request, _("Account %(username)s created.") % {"username": user})
            return redirect("accounts:user", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _user_page(request: HttpRequest, user: User, assign_form: RoleAssignForm) -> HttpResponse:
    name_assignment_regions(users=[user])
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed_user": user,
            "assignments": user.visible_assignments,  # type: ignore[attr-defined]
            "assign_form": assign_form,
            "lockout": lockout_state(user=user),
            "tokens": live_api_tokens(user=user),
            # Clearing a lockout or revoking a token is the system administrator's, not the
            # security administrator's or the county leader's.
            "may_administer": bool(actor_from(request).jurisdiction_codes(Perm.ACCOUNTS_MANAGE)),
        },
    )


@require_GET
@page_view
def user_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = managed_user(actor=actor, user_id=user_id)
    return _user_page(request, user, RoleAssignForm())


@require_POST
@page_view
def role_assign_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = managed_user(actor=actor, user_id=user_id)
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
            add_problems(form, error)
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
    user = managed_user(actor=actor, user_id=user_id)
    # The assignment must be this user's and visible here: a mismatched URL answers 404.
    if not any(a.pk == assignment_id for a in user.visible_assignments):  # type: ignore[attr-defined]
        raise NotFound(ASSIGNMENT_NOT_FOUND)
    try:
        role_revoke(actor=actor, assignment_id=assignment_id)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:user", user_id=user.pk)


@require_POST
@page_view
def user_unlock_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    # The permission first: the security administrator sees the account but may not unlock it.
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    user = managed_user(actor=actor, user_id=user_id)
    user_unlock(actor=actor, user=user)
    messages.success(request, _("Login lockout cleared for %(username)s.") % {"username": user})
    return redirect("accounts:user", user_id=user.pk)


@require_POST
@page_view
def user_token_revoke_view(request: HttpRequest, user_id: int, token_id: int) -> HttpResponse:
    actor = actor_from(request)
    token = api_token_revoke(actor=actor, token_id=token_id, user_id=user_id)
    messages.success(request, _("API token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("accounts:user", user_id=user_id)
