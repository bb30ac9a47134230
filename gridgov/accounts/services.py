"""Writes to accounts: users, their role assignments and API tokens. Atomic and audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from gridgov.accounts import errors
from gridgov.accounts.models import ApiToken, RoleAssignment, User
from gridgov.accounts.selectors import managed_user
from gridgov.core import codes
from gridgov.core.access import (
    ADMINISTRATIVE_POWERS,
    ROLE_SPECS,
    Perm,
    role_grants,
    role_needs_security_grant,
)
from gridgov.core.audit import audit_record
from gridgov.core.errors import (
    AUTHENTICATION_REQUIRED,
    NO_ROLE_GRANTS,
    Conflict,
    NotFound,
    PermissionDenied,
    RefusalTarget,
    ValidationFailed,
)
from gridgov.core.scoping import Actor, jurisdiction_q, require_permission, scope_queryset
from gridgov.regions.models import Region


def _require_manages(actor: Actor, region_code: str) -> None:
    jurisdiction = require_permission(actor, Perm.ACCOUNTS_MANAGE)
    if not any(codes.is_within(region_code, top) for top in jurisdiction):
        raise NotFound(errors.REGION_NOT_FOUND, code=region_code)


def _granting_jurisdiction(actor: Actor) -> list[str]:
    """Where the actor may give or take roles at all: as the system administrator (the roles
    that read no personal data) or as the security administrator or county leader (any)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(AUTHENTICATION_REQUIRED)
    codes_ = actor.jurisdiction_codes(Perm.ACCOUNTS_MANAGE) + actor.jurisdiction_codes(
        Perm.ROLES_GRANT
    )
    if not codes_:
        raise PermissionDenied(NO_ROLE_GRANTS, permission=Perm.ROLES_GRANT)
    return sorted(set(codes_))


def _grant_target(*, user_id: int, role: str, region_code: str, operation: str) -> RefusalTarget:
    """What a refused grant or revocation names in the audit log (`user.role_assign`)."""
    return RefusalTarget(
        object_type="user",
        object_id=str(user_id),
        operation=operation,
        region_code=region_code,
        detail={"role": role},
    )


def _require_may_grant(
    actor: Actor, *, user_id: int, role: str, region_code: str, operation: str
) -> None:
    """三员分立: a role that reads personal data, or one of the three powers, is given or taken
    only under ROLES_GRANT; the system administrator gives the others."""
    if not role_needs_security_grant(role):
        return
    target = _grant_target(user_id=user_id, role=role, region_code=region_code, operation=operation)
    if not any(
        codes.is_within(region_code, top) for top in actor.jurisdiction_codes(Perm.ROLES_GRANT)
    ):
        raise PermissionDenied(errors.GRANT_NEEDS_SECURITY_ADMIN, target=target, role=role)


def user_create(
    *, actor: Actor, username: str, password: str, display_name: str = "", region_code: str
) -> User:
    _require_manages(actor, region_code)
    # The account is placed (and audited) at this region, so it must be one.
    if not (
        codes.is_valid_code(region_code) and Region.objects.filter(region_code=region_code).exists()
    ):
        raise ValidationFailed.on("region_code", errors.REGION_NOT_FOUND, code=region_code)
    if User.objects.filter(username=username).exists():
        raise ValidationFailed.on("username", errors.USERNAME_TAKEN)
    user = User(
        username=username,
        display_name=display_name,
        created_by=actor if isinstance(actor, User) else None,
    )
    try:
        # The model's own rules: a username that is not blank, not too long, of allowed characters.
        user.full_clean(exclude=["password"])
    except DjangoValidationError as error:
        raise ValidationFailed.from_messages(error.message_dict) from error
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationFailed.from_messages({"password": error.messages}) from error
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            object_type="user",
            object_id=user.pk,
            region_code=region_code,
        )
    return user


def role_assign(*, actor: Actor, user: User, role: str, region_code: str) -> RoleAssignment:
    """Give `user` the role within the subtree of `region_code` (a level the role allows).

    The system administrator gives only roles that read no personal data; the security
    administrator or the county leader gives any, but never to an account they created; and
    nobody ends up holding two of the system administrator, security administrator and auditor.
    """
    if not any(codes.is_within(region_code, top) for top in _granting_jurisdiction(actor)):
        raise NotFound(errors.REGION_NOT_FOUND, code=region_code)
    if user.pk == actor.pk:
        # Separation of duties: an administrator who reads no cases cannot give themselves a
        # role that does.
        raise PermissionDenied(errors.OWN_ROLES)
    spec = ROLE_SPECS.get(role)
    if spec is None:
        raise ValidationFailed.on("role", errors.UNKNOWN_ROLE, role=role)
    if not codes.is_valid_code(region_code):
        raise ValidationFailed.on("region_code", errors.NOT_A_REGION_CODE)
    if codes.level_of(region_code) not in spec.levels:
        raise ValidationFailed.on(
            "region_code", errors.ROLE_LEVEL, role=role, level=codes.level_of(region_code)
        )
    if not Region.objects.filter(region_code=region_code).exists():
        raise ValidationFailed.on("region_code", errors.REGION_NOT_FOUND, code=region_code)
    _require_may_grant(
        actor, user_id=user.pk, role=role, region_code=region_code, operation="role_assign"
    )
    target = _grant_target(
        user_id=user.pk, role=role, region_code=region_code, operation="role_assign"
    )
    if role_needs_security_grant(role) and user.created_by_id == actor.pk:
        # Whoever created the account chose its first password: they could log in as it.
        raise PermissionDenied(errors.GRANT_BY_CREATOR, target=target, role=role)
    with transaction.atomic():
        # The user's row is locked, so two grants of two powers at once cannot both pass.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if role in ADMINISTRATIVE_POWERS:
            held = (
                RoleAssignment.objects.filter(
                    user=user, is_active=True, role__in=ADMINISTRATIVE_POWERS
                )
                .exclude(role=role)
                .values_list("role", flat=True)
                .first()
            )
            if held is not None:
                raise PermissionDenied(errors.TWO_POWERS, target=target, held=held)
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, region_code=region_code, defaults={"is_active": True}
        )
        if not created and not assignment.is_active:
            assignment.is_active = True
            assignment.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="role.assign",
            object_type="user",
            object_id=user.pk,
            region_code=region_code,
            detail={"role": role},
        )
    return assignment


def role_revoke(*, actor: Actor, assignment_id: int) -> RoleAssignment:
    """Deactivate a role assignment inside the actor's jurisdiction; a no-op when already inactive.

    The row is kept (inactive), so the history of who held which role stays readable.
    """
    assignment = (
        RoleAssignment.objects.filter(jurisdiction_q(_granting_jurisdiction(actor)))
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound(errors.ASSIGNMENT_NOT_FOUND, id=assignment_id)
    # An administrator who revoked their own management role could lock every administrator out.
    if assignment.user_id == actor.pk and (
        role_grants(assignment.role, Perm.ACCOUNTS_MANAGE)
        or role_grants(assignment.role, Perm.ROLES_GRANT)
    ):
        raise Conflict(errors.OWN_MANAGEMENT_ROLE)
    _require_may_grant(
        actor,
        user_id=assignment.user_id,
        role=assignment.role,
        region_code=assignment.region_code,
        operation="role_revoke",
    )
    with transaction.atomic():
        # A conditional UPDATE, so two concurrent revokes write one audit row, not two.
        revoked = RoleAssignment.objects.filter(pk=assignment.pk, is_active=True).update(
            is_active=False
        )
        if revoked:
            audit_record(
                actor=actor,
                action="role.revoke",
                object_type="user",
                object_id=assignment.user_id,
                region_code=assignment.region_code,
                detail={"role": assignment.role, "assignment_id": assignment.pk},
            )
    assignment.is_active = False
    return assignment


def user_unlock(*, actor: Actor, user: User) -> int:
    """Clear a user's failed-login records (django-axes), so a locked-out user may log in again.

    Returns the number of records cleared. NotFound when the user holds no role in the actor's
    jurisdiction.
    """
    region_code = (
        scope_queryset(
            RoleAssignment.objects.filter(user=user),
            actor=actor,
            permission=Perm.ACCOUNTS_MANAGE,
        )
        .order_by("region_code")
        .values_list("region_code", flat=True)
        .first()
    )
    if region_code is None:
        raise NotFound(errors.USER_NOT_FOUND, id=user.pk)
    with transaction.atomic():
        cleared = axes_reset(username=user.username)
        audit_record(
            actor=actor,
            action="user.unlock",
            object_type="user",
            object_id=user.pk,
            region_code=region_code,
            detail={"records_cleared": cleared},
        )
    return cleared


# Keeping an account: its name, whether it may log in, a fresh password when it is forgotten.


def _managed_region(actor: Actor, user: User) -> str:
    """Where the actor manages `user` (ACCOUNTS_MANAGE over one of the user's roles), for the
    audit row; NotFound when nowhere, as if the account were missing."""
    require_permission(actor, Perm.ACCOUNTS_MANAGE)
    region_code = (
        scope_queryset(
            RoleAssignment.objects.filter(user=user), actor=actor, permission=Perm.ACCOUNTS_MANAGE
        )
        .order_by("region_code")
        .values_list("region_code", flat=True)
        .first()
    )
    if region_code is None:
        raise NotFound(errors.USER_NOT_FOUND, id=user.pk)
    return region_code


def _refuse_own_account(actor: Actor, user: User) -> None:
    if user.pk == actor.pk:
        raise PermissionDenied(errors.OWN_ACCOUNT)


def user_update(*, actor: Actor, user: User, display_name: str) -> User:
    """Change the name an account goes by (the username, which logs in, never changes)."""
    region_code = _managed_region(actor, user)
    display_name = display_name.strip()
    if user.display_name == display_name:
        return user
    before = user.display_name
    user.display_name = display_name
    try:
        user.full_clean(exclude=["password"])
    except DjangoValidationError as error:
        user.display_name = before
        raise ValidationFailed.from_messages(error.message_dict) from error
    with transaction.atomic():
        user.save(update_fields=["display_name"])
        audit_record(
            actor=actor,
            action="user.change",
            object_type="user",
            object_id=user.pk,
            region_code=region_code,
            detail={"display_name": display_name},
        )
    return user


def user_deactivate(*, actor: Actor, user: User) -> bool:
    """Stop an account from logging in: its sessions stop at their next request (the login
    backend refuses inactive users) and its API tokens are revoked. The account, its roles and
    its history stay. Returns False when it was already disabled."""
    region_code = _managed_region(actor, user)
    _refuse_own_account(actor, user)
    now = timezone.now()
    with transaction.atomic():
        # Conditional, so two administrators disabling at once write one audit row.
        changed = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
        if changed:
            revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=now
            )
            audit_record(
                actor=actor,
                action="user.deactivate",
                object_type="user",
                object_id=user.pk,
                region_code=region_code,
                detail={"tokens_revoked": revoked},
            )
    user.is_active = False
    return bool(changed)


def user_reactivate(*, actor: Actor, user: User) -> bool:
    """Let a disabled account log in again, with the roles it still holds. Returns False when it
    was not disabled."""
    region_code = _managed_region(actor, user)
    _refuse_own_account(actor, user)
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
        if changed:
            audit_record(
                actor=actor,
                action="user.reactivate",
                object_type="user",
                object_id=user.pk,
                region_code=region_code,
            )
    user.is_active = True
    return bool(changed)


# Letters and digits a person reads off a screen and types on a phone without confusing them.
UNMISTAKABLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEMPORARY_PASSWORD_LENGTH = 12


def user_password_reset(*, actor: Actor, user: User) -> str:
    """A new random password for `user`, returned once for the administrator to hand over; the
    person must change it at their next login, and every API token they held stops working.

    The administrator knows the new password, so for an account that reads personal data (or
    holds one of the three powers) only the security administrator or the county leader may
    reset it, as only they may give it such a role (三员分立)."""
    region_code = _managed_region(actor, user)
    _refuse_own_account(actor, user)
    guarded = next(
        (a for a in user.active_assignments() if role_needs_security_grant(a.role)), None
    )
    if guarded is not None and not any(
        codes.is_within(guarded.region_code, top)
        for top in actor.jurisdiction_codes(Perm.ROLES_GRANT)
    ):
        raise PermissionDenied(
            errors.RESET_NEEDS_SECURITY_ADMIN,
            target=RefusalTarget(
                object_type="user",
                object_id=str(user.pk),
                operation="password_reset",
                region_code=guarded.region_code,
                detail={"role": guarded.role},
            ),
            role=guarded.role,
        )
    password = "".join(
        secrets.choice(UNMISTAKABLE_CHARACTERS) for _ in range(TEMPORARY_PASSWORD_LENGTH)
    )
    now = timezone.now()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        # A forgotten password often comes with a lockout: the person can log in at once.
        axes_reset(username=user.username)
        audit_record(
            actor=actor,
            action="user.password_reset",
            object_type="user",
            object_id=user.pk,
            region_code=region_code,
        )
    return password


def own_password_change(*, user: User, new_password: str) -> None:
    """The signed-in person sets their own password (the caller has checked the old one); this
    ends a reset's must-change state."""
    try:
        validate_password(new_password, user)
    except DjangoValidationError as error:
        raise ValidationFailed.from_messages({"new_password1": error.messages}) from error
    assignments = user.active_assignments()
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=user,
            action="user.password_change",
            object_type="user",
            object_id=user.pk,
            region_code=assignments[0].region_code if assignments else None,
        )


# API tokens


# How finely a token's last use is kept: a client making a request a second must not make a
# write a second.
TOKEN_LAST_USED_RESOLUTION = timedelta(minutes=1)
USER_AGENT_LENGTH = 200


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the secret, given once to whoever logged in; only its hash is stored


def api_token_issue(
    *, user: User, client_address: str | None = None, user_agent: str = ""
) -> IssuedToken:
    """A fresh token for a login, replacing every earlier one of the user: a client that logs in
    again, or a stolen token's owner who does, leaves no older token working.

    Tokens lapse `API_TOKEN_TTL_HOURS` after they are issued.
    """
    now = timezone.now()
    key = secrets.token_hex(20)
    with transaction.atomic():
        # Lapsed ones are dead anyway; the revoked but unlapsed stay until the next login.
        ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        token = ApiToken.objects.create(
            user=user,
            key_hash=ApiToken.hash_of(key),
            prefix=key[:8],
            created_at=now,
            expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
            client_address=client_address or None,
            user_agent=user_agent[:USER_AGENT_LENGTH],
        )
    return IssuedToken(token=token, key=key)


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used now; at most one write a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def api_token_revoke(*, actor: Actor, token_id: int, user_id: int | None = None) -> ApiToken:
    """Revoke one of the actor's own tokens or, given `user_id`, as an account administrator one
    of a user they manage. NotFound for a token that is neither (another's looks missing); a no-op
    for one already revoked."""
    if user_id is None:
        owner: User = actor  # type: ignore[assignment]
    else:
        # The system administrator's, like clearing a lockout: the security administrator and the
        # county leader see a user's tokens but do not revoke them.
        require_permission(actor, Perm.ACCOUNTS_MANAGE)
        owner = managed_user(actor=actor, user_id=user_id)
    token = ApiToken.objects.filter(pk=token_id, user_id=owner.pk).first()
    if token is None:
        raise NotFound(errors.API_TOKEN_NOT_FOUND, id=token_id)
    now = timezone.now()
    with transaction.atomic():
        # Conditional, so two concurrent revokes write one audit row.
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if revoked:
            assignments = owner.active_assignments()
            audit_record(
                actor=actor,
                action="api_token.revoke",
                object_type="user",
                object_id=owner.pk,
                region_code=assignments[0].region_code if assignments else None,
                detail={"token_id": token.pk, "prefix": token.prefix},
            )
            token.revoked_at = now
    return token
