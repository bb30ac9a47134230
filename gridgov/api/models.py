"""Stored first responses of POSTs sent with an `Idempotency-Key`, so a replay creates nothing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
