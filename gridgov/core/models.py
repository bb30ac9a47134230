"""Shared kernel models: the region-scoped base, the hash-chained audit log and the stored
first responses of idempotent requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.codes import ancestor_codes


class RegionScoped(models.Model):
    """A record that belongs somewhere: its smallest region and that region's fixed-level ancestors.

    Scoping an actor whose jurisdiction is a town is `town_code = ...`, an equality on an indexed
    column, never a join. Subclasses index each ancestor column with the order they list in.
    """

    region_code = models.CharField(_("region code"), max_length=18, db_index=True)
    county_code = models.CharField(max_length=6, editable=False)
    town_code = models.CharField(max_length=9, blank=True, editable=False)
    village_code = models.CharField(max_length=12, blank=True, editable=False)
    grid_code = models.CharField(max_length=15, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Keeping the derived columns consistent with region_code is an invariant of the row,
        # not a side effect; bulk writers call set_region_code themselves.
        if self.region_code:
            self.set_region_code(self.region_code)
        super().save(*args, **kwargs)

    def set_region_code(self, region_code: str) -> None:
        """Set the region and derive the ancestor columns from it (they are never set by hand)."""
        for field, value in ancestor_codes(region_code).items():
            setattr(self, field, value)


class AuditEntry(RegionScoped):
    """One append-only, hash-chained row of the audit log.

    Each county writes its own chain (`chain` is the row's county code, or "global" for a row
    without one), so two counties' writers never wait for each other; the rows written before
    the chains were split stay in the "installation" chain, unchanged. Within a chain
    `entry_hash` covers every field and the previous row's hash, and `sequence` has no gaps, so
    `verify_audit` finds an edited, inserted or deleted row.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        # The actor was refused: no role for the operation, or the object is outside their jurisdiction.
        DENIED = "denied", _("denied")
        # The attempt was allowed but failed (bad password, invalid input).
        FAILURE = "failure", _("failure")

    # History is not rewritten when a region moves: the chain would break, and the row records
    # where the act happened at the time.
    rescope_on_move = False

    chain = models.CharField(_("chain"), max_length=16)
    sequence = models.PositiveBigIntegerField(_("sequence"))
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    # Kept as text too, so the row still says who it was if the account is renamed.
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Also the index a chain's tail is read from when appending.
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_chain_sequence"),
        ]
        indexes = [
            models.Index(fields=["county_code", "created_at", "id"], name="audit_county_time"),
            models.Index(fields=["town_code", "created_at", "id"], name="audit_town_time"),
            models.Index(fields=["village_code", "created_at", "id"], name="audit_village_time"),
            models.Index(fields=["grid_code", "created_at", "id"], name="audit_grid_time"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.chain} #{self.sequence} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit entries are append-only")


class IdempotencyRecord(models.Model):
    """The first response to a request carrying an `Idempotency-Key`, per owner (a user or a
    client) and key.

    The row is inserted before the view runs, in the view's transaction: the unique constraint
    on (owner, key) makes a concurrent request with the same key wait for the first one and then
    find its stored response, so two requests never both run.
    """

    owner = models.CharField(_("owner"), max_length=80)
    key = models.CharField(_("key"), max_length=255)
    # SHA-256 over the method, the path and the body: the same key with another payload is refused.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=255)
    # Empty until the view has answered; a committed row always has them.
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=128, blank=True)
    location = models.CharField(_("location"), max_length=512, blank=True)
    body = models.BinaryField(_("body"), default=b"")
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        # Created by the API app's first migration and moved here with the layering; the table
        # keeps its name so no data moves.
        db_table = "api_idempotencyrecord"
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
