"""The staff inbox: one row per recipient and notice.

A row stores a notice's key and parameters, never its sentence: the text is rendered when the
recipient reads it, in the language they read in. A row may stand for several events of one kind
(a digest: `count`), so a mass event such as the overdue sweep writes one row per unit and
recipient, not one per case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # What the notice is about (a case and its number, a list of cases), for its link.
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    count = models.PositiveIntegerField(_("events"), default=1)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.key}"
