"""Open311 clients (API keys, stored only as a keyed hash) and what their requests carried beyond
the case itself."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    """An application allowed to POST service requests. The raw key is shown once at creation;
    only its keyed hash (`gridgov.core.pii.search_hash`) is stored, so a database leak gives no
    usable key."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Open311Request(models.Model):
    """The Open311 side of a case: which client posted it and the media_url it gave (the case has
    no field for an external link)."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="open311_request",
    )
    client = models.ForeignKey(
        Open311Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return f"{self.client_id} {self.case_id}"
