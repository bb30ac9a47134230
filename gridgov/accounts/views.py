"""Account pages: everyone's own account and API tokens; users in the actor's jurisdiction, their
roles and tokens (for the system administrator, the security administrator and the county leader);
new accounts and lockouts (the system administrator's). Nothing here shows residents' or cases'
data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gridgov.accounts.actors import actor_from
from gridgov.accounts.errors import ASSIGNMENT_NOT_FOUND
from gridgov.accounts.forms import (
    OwnPasswordChangeForm,
    RoleAssignForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
)
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
    own_password_change,
    role_assign,
    role_revoke,
    user_create,
    user_deactivate,
    user_password_reset,
    user_reactivate,
    user_unlock,
    user_update,
)
from gridgov.core.access import Perm
from gridgov.core.errors import Conflict, NotFound, ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import Actor, require_permission
from gridgov.regions.selectors import RegionBranch, region_branch_search, region_branches

USERS_PAGE_SIZE = 50
# The forms whose region the picker fills in.
REGION_TREE_FIELDS = frozenset({"region_code"})


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


def _region_tree(actor: Actor, chosen: str = "") -> list[RegionBranch]:
    """The region picker's tree: the regions where the actor sees accounts (the system
    administrator's, the security administrator's, the county leader's), opened to `chosen`."""
    return region_branches(actor=actor, permission=Perm.ACCOUNTS_VIEW, open_to=chosen)


@require_GET
@page_view
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.ACCOUNTS_VIEW)
    search_form = UserSearchForm(request.GET)
    # Filters that do not parse narrow nothing; the form says what was wrong with them.
    data = search_form.cleaned_data if search_form.is_valid() else {}
    chosen = data.get("region_code", "")
    status = data.get("status", "")
    users = managed_users(
        actor=actor,
        search=data.get("q", "").strip(),
        role=data.get("role", ""),
        region_code=chosen,
        active=None if not status else status == UserSearchForm.Status.ACTIVE,
    )
    search_form.fields["region_code"].region_tree = _region_tree(actor, chosen)  # type: ignore[attr-defined]
    page = Paginator(users, USERS_PAGE_SIZE).get_page(request.GET.get("page"))
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


@require_GET
@page_view
def region_tree_view(request: HttpRequest) -> HttpResponse:
    """A piece of the region picker: the children of `parent`, or the places named like
    `region_q`, as radio buttons for the form field `field`."""
    actor = actor_from(request)
    field = request.GET.get("field", "region_code")
    if field not in REGION_TREE_FIELDS:
        field = "region_code"
    query = request.GET.get("region_q", "").strip()[:32]
    if query:
        branches = region_branch_search(actor=actor, permission=Perm.ACCOUNTS_VIEW, query=query)
    else:
        branches = region_branches(
            actor=actor, permission=Perm.ACCOUNTS_VIEW, parent_code=request.GET.get("parent", "")
        )
    return render(
        request,
        "accounts/_region_branches.html",
        {"branches": branches, "field_name": field, "search": bool(query), "query": query},
    )


@require_http_methods(["GET", "POST"])
@page_view
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    # The permission comes first, so a non-administrator gets 403 and never sees the form.
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    form = UserCreateForm(
        request.POST if request.method == "POST" else None,
        region_tree=_region_tree(actor, request.POST.get("region_code", "")),
    )
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


def _user_page(
    request: HttpRequest,
    user: User,
    assign_form: RoleAssignForm | None = None,
    edit_form: UserEditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_from(request)
    name_assignment_regions(users=[user])
    if assign_form is None:
        assign_form = RoleAssignForm(region_tree=_region_tree(actor))
    if edit_form is None:
        edit_form = UserEditForm(initial={"display_name": user.display_name})
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed_user": user,
            "assignments": user.visible_assignments,  # type: ignore[attr-defined]
            "assign_form": assign_form,
            "edit_form": edit_form,
            "is_self": user.pk == actor.pk,
            "lockout": lockout_state(user=user),
            "tokens": live_api_tokens(user=user),
            # Clearing a lockout or revoking a token is the system administrator's, not the
            # security administrator's or the county leader's.
            "may_administer": bool(actor.jurisdiction_codes(Perm.ACCOUNTS_MANAGE)),
        },
        status=status,
    )


@require_GET
@page_view
def user_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = managed_user(actor=actor, user_id=user_id)
    return _user_page(request, user)


@require_POST
@page_view
def role_assign_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    user = managed_user(actor=actor, user_id=user_id)
    form = RoleAssignForm(
        request.POST, region_tree=_region_tree(actor, request.POST.get("region_code", ""))
    )
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


@require_POST
@page_view
def user_edit_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    user = managed_user(actor=actor, user_id=user_id)
    form = UserEditForm(request.POST)
    if form.is_valid():
        try:
            user_update(actor=actor, user=user, display_name=form.cleaned_data["display_name"])
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Account %(username)s saved.") % {"username": user})
            return redirect("accounts:user", user_id=user.pk)
    return _user_page(request, user, edit_form=form, status=400)


@require_POST
@page_view
def user_deactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    user = managed_user(actor=actor, user_id=user_id)
    user_deactivate(actor=actor, user=user)
    messages.success(request, _("%(username)s can no longer log in.") % {"username": user.username})
    return redirect("accounts:user", user_id=user.pk)


@require_POST
@page_view
def user_reactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_from(request)
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    user = managed_user(actor=actor, user_id=user_id)
    user_reactivate(actor=actor, user=user)
    messages.success(request, _("%(username)s may log in again.") % {"username": user.username})
    return redirect("accounts:user", user_id=user.pk)


@require_POST
@page_view
def user_password_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """A new password, shown once on this page (never in a message kept in the session) for the
    administrator to hand over; the person changes it at their next login."""
    actor = actor_from(request)
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    user = managed_user(actor=actor, user_id=user_id)
    password = user_password_reset(actor=actor, user=user)
    response = render(
        request,
        "accounts/password_reset_done.html",
        {"managed_user": user, "password": password},
    )
    # Not kept by the browser or anything in between: the back button does not show it again.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@page_view
def password_change_view(request: HttpRequest) -> HttpResponse:
    """One's own new password; the only page open to someone whose password was reset."""
    actor = actor_from(request)
    form = OwnPasswordChangeForm(actor, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            own_password_change(user=actor, new_password=form.cleaned_data["new_password1"])
        except ValidationFailed as error:
            add_problems(form, error)
        else:
            # Changing the password ends the other sessions, not this one.
            update_session_auth_hash(request, actor)
            messages.success(request, _("Your password is changed."))
            return redirect("web:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": actor.must_change_password},
        status=status,
    )
