"""Supervision and assessment (督查考核): the county's scoring scheme, the monthly scores of grid
workers, villages and towns (each with the components it was added up from), supervision orders
(督办) and package responsibility (包抓)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.core.models import RegionScoped


class Indicator(models.Model):
    """One indicator of the county's scoring scheme: the measure (`code`, one of the registry's
    in `indicators.py`), its weight, and for a count the monthly target per grid that earns full
    marks. A weight of 0 leaves the indicator out of the score."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    target = models.PositiveIntegerField(_("monthly target per grid"), default=0)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class SubjectKind(models.TextChoices):
    WORKER = "worker", pgettext_lazy("scored", "Grid worker")
    VILLAGE = "village", pgettext_lazy("scored", "Village/community")
    TOWN = "town", pgettext_lazy("scored", "Town/street")


class Score(RegionScoped):
    """A grid worker's, village's or town's score for a month, recomputed from the records; its
    place is the worker's (first) grid, or the village or town itself. Ranked among its kind in
    its town (workers, villages) or in its county (towns)."""

    month = models.DateField(_("month"))  # the first day of the month
    kind = models.CharField(_("kind"), max_length=8, choices=SubjectKind.choices)
    # "user:<id>" for a worker, the place's code for a village or town: one score a month each.
    subject = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=64)
    total = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    ranked_among = models.PositiveIntegerField(_("ranked among"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["month", "kind", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "subject"], name="score_one_a_month")
        ]
        indexes = [
            models.Index(fields=["county_code", "month", "kind", "rank"], name="score_county"),
            models.Index(fields=["town_code", "month", "kind", "rank"], name="score_town"),
            models.Index(fields=["village_code", "month", "kind"], name="score_village"),
            models.Index(fields=["grid_code", "month", "kind"], name="score_grid"),
            models.Index(fields=["user", "month"], name="score_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.month:%Y-%m}"


class ScoreComponent(models.Model):
    """One indicator's part of a score: what was counted (value, and the numerator and
    denominator of a rate, or a count and its target), the value normalised to 0..1, the weight
    and the points it earned. Not applicable (nothing to count, such as a rate without cases):
    no normalised value and no points, and its weight is left out of the total."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="components")
    indicator = models.CharField(_("indicator"), max_length=32)
    position = models.PositiveSmallIntegerField(default=0)
    value = models.FloatField(_("value"))
    numerator = models.FloatField(_("counted"))
    denominator = models.FloatField(_("out of"), null=True, blank=True)
    normalised = models.FloatField(_("normalised"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("score component")
        verbose_name_plural = _("score components")
        ordering = ["score", "position", "id"]

    def __str__(self) -> str:
        return self.indicator


class OrderState(models.TextChoices):
    # Waits on the addressee (the worker, or the unit's officials) to answer.
    OPEN = "open", pgettext_lazy("supervision order state", "Waiting for the response")
    # Waits on the issuer to accept the response or send it back.
    RESPONDED = "responded", pgettext_lazy("supervision order state", "Responded, to review")
    CLOSED = "closed", pgettext_lazy("supervision order state", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("supervision order state", "Withdrawn")


class OrderTarget(models.TextChoices):
    CASE = "case", pgettext_lazy("supervised", "A late case")
    UNIT = "unit", pgettext_lazy("supervised", "A village or town")
    WORKER = "worker", pgettext_lazy("supervised", "A grid worker")


class SupervisionOrder(RegionScoped):
    """A supervision order (督办): an official holds a late case or a weak unit to account, with
    what must be done and by when; the addressee (the case's handler or unit, the worker, the
    village's or town's officials) answers and the issuer accepts the answer or sends it back.
    Its place is the case's, the unit's or the worker's grid."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    target = models.CharField(_("about"), max_length=8, choices=OrderTarget.choices)
    case_number = models.CharField(_("case"), max_length=32, blank=True)
    # Who must answer: an account (the worker, the case's handler), or the officials of a unit.
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("addressee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    addressee_code = models.CharField(_("addressee unit"), max_length=12, blank=True)
    subject_name = models.CharField(_("concerning"), max_length=120)
    request = models.TextField(_("what must be done"))
    deadline_on = models.DateField(_("answer by"))
    state = models.CharField(
        _("state"), max_length=12, choices=OrderState.choices, default=OrderState.OPEN
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "issued_at", "id"], name="order_county_time"),
            models.Index(fields=["town_code", "issued_at", "id"], name="order_town_time"),
            models.Index(fields=["village_code", "issued_at", "id"], name="order_village_time"),
            models.Index(fields=["addressee", "state"], name="order_addressee"),
            models.Index(fields=["addressee_code", "state"], name="order_unit"),
            models.Index(fields=["issued_by", "state"], name="order_issuer"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderAction(models.TextChoices):
    ISSUE = "issue", pgettext_lazy("supervision order action", "Issued")
    RESPOND = "respond", pgettext_lazy("supervision order action", "Responded")
    CLOSE = "close", pgettext_lazy("supervision order action", "Closed on the response")
    RETURN = "return", pgettext_lazy("supervision order action", "Sent the response back")
    WITHDRAW = "withdraw", pgettext_lazy("supervision order action", "Withdrawn")


class OrderEvent(models.Model):
    """The order's timeline, append-only: issued, responded, sent back, closed, withdrawn."""

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=OrderAction.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("supervision order event")
        verbose_name_plural = _("supervision order events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action}"


class PackageKind(models.TextChoices):
    REGION = "region", pgettext_lazy("package", "A place")
    CASE = "case", pgettext_lazy("package", "A case")
    RISK = "risk", pgettext_lazy("package", "A risk")


class Responsibility(RegionScoped):
    """Package responsibility (包抓): an official answers for a place, a case or a risk, named by
    whoever assigns the package. Ending it keeps the row (who answered for what, and when)."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PackageKind.choices)
    case_number = models.CharField(_("case"), max_length=32, blank=True)
    risk_id = models.PositiveBigIntegerField(_("risk"), null=True, blank=True)
    label = models.CharField(_("what"), max_length=160)
    note = models.CharField(_("note"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("package responsibility")
        verbose_name_plural = _("package responsibilities")
        ordering = ["kind", "region_code", "id"]
        indexes = [
            models.Index(fields=["official", "ended_at"], name="package_official"),
            models.Index(fields=["town_code", "assigned_at"], name="package_town"),
            models.Index(fields=["county_code", "assigned_at"], name="package_county"),
        ]

    def __str__(self) -> str:
        return self.label
