"""Users and their role assignments, each scoped to a region."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Role, role_grants
from gridgov.core.models import RegionScoped
from gridgov.core.pii import EncryptedField
from gridgov.core.prepared import PreparedQuery


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    # For SMS notices; personal data, so encrypted at rest and masked when shown.
    phone = EncryptedField(_("phone"), kind="phone")
    # Who created the account: they set its first password, so they may never give it a role that
    # reads personal data (三员分立). Empty for accounts made by commands and migrations.
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Set when an administrator resets the password: the administrator chose it, so the person
    # changes it before anything else (web pages redirect; the API refuses to issue a token).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def active_assignments(self) -> list[RoleAssignment]:
        # Cached per instance: a request asks many times, the answer does not change within it.
        cached: list[RoleAssignment] | None = getattr(self, "_assignments_cache", None)
        if cached is None:
            cached = _active_assignments_of.fetch(user_id=self.pk)
            for assignment in cached:
                assignment.user = self  # as the related manager would have set it
            self._assignments_cache = cached
        return cached

    def jurisdiction_codes(self, permission: str) -> list[str]:
        """The region codes whose subtrees this user may act in under `permission`."""
        if not self.is_active:
            return []
        return sorted(
            {a.region_code for a in self.active_assignments() if role_grants(a.role, permission)}
        )

    def has_role(self, *roles: str) -> bool:
        return any(a.role in roles for a in self.active_assignments())

    @property
    def roles(self) -> list[str]:
        return sorted({a.role for a in self.active_assignments()})


class RoleAssignment(RegionScoped):
    """A user holds a role within the subtree of one region."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region_code"], name="unique_role_assignment"
            )
        ]
        indexes = [
            models.Index(fields=["town_code", "role"], name="assignment_town_role"),
            models.Index(fields=["village_code", "role"], name="assignment_village_role"),
            models.Index(fields=["grid_code", "role"], name="assignment_grid_role"),
            models.Index(fields=["region_code", "role"], name="assignment_region_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.region_code}"


class ApiToken(models.Model):
    """An API token as the server keeps it: the SHA-256 of the secret, never the secret itself,
    and a few characters of it, enough for its owner to tell their tokens apart."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [
            models.Index(fields=["user", "revoked_at", "expires_at"], name="api_token_user_live"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_of(key: str) -> str:
        # Unkeyed: the secret is 160 random bits, so its hash cannot be searched back to it, and
        # rotating the personal-data key does not log every client out.
        return hashlib.sha256(key.encode()).hexdigest()


# Every request asks for its user's roles: compiled once (see core.prepared for what it saves).
_active_assignments_of: PreparedQuery[RoleAssignment] = PreparedQuery(
    lambda user_id: RoleAssignment.objects.filter(user_id=user_id, is_active=True).order_by(
        "region_code"
    ),
    user_id=-7_000_000_001,
)
