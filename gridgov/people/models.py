"""The population register (人、地、组织, after the GB/T 31000 "9+X" modules): buildings and houses,
households, residents, focus groups, organisations and partner units; and what a community
publishes: its business card and its co-construction projects.

Every record is region-scoped (a grid or micro-grid for people and places, a village or community
for cards and projects), so scoping is an equality on an ancestor column. ID numbers and phones are
encrypted (`core.pii`), searched through a keyed hash, and print masked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import RegionScoped
from gridgov.core.pii import EncryptedField


def _scoped_indexes(prefix: str, *order: str) -> list[models.Index]:
    """One index per ancestor column with the order the lists are read in."""
    return [
        models.Index(fields=[column, *order], name=f"{prefix}_{short}")
        for column, short in (
            ("county_code", "county"),
            ("town_code", "town"),
            ("village_code", "village"),
            ("grid_code", "grid"),
        )
    ]


class Building(RegionScoped):
    """A building or a house (地): where households live and organisations work."""

    class Kind(models.TextChoices):
        BLOCK = "block", _("apartment block")
        HOUSE = "house", _("house")
        SHOP = "shop", _("shop front")
        PUBLIC = "public", _("public building")
        OTHER = "other", _("other building")

    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("residential")
        COMMERCIAL = "commercial", _("commercial")
        MIXED = "mixed", _("mixed use")
        PUBLIC = "public", _("public use")
        VACANT = "vacant", _("vacant")

    name = models.CharField(_("name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.BLOCK)
    use = models.CharField(_("use"), max_length=16, choices=Use.choices, default=Use.RESIDENTIAL)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        indexes = _scoped_indexes("building", "address", "id")

    def __str__(self) -> str:
        return self.name or self.address


class Household(RegionScoped):
    """A household (户): its number, its address and whether it is registered or only living here."""

    class Registration(models.TextChoices):
        REGISTERED = "registered", _("registered here")  # 户籍户
        LIVING = "living", _("living here")  # 居住户 (registered elsewhere)

    number = models.CharField(_("household number"), max_length=32, unique=True)
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    address = models.CharField(_("address"), max_length=200)
    registration = models.CharField(
        _("registration"),
        max_length=16,
        choices=Registration.choices,
        default=Registration.REGISTERED,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = _scoped_indexes("household", "number", "id")

    def __str__(self) -> str:
        return self.number


class Resident(RegionScoped):
    """A person of the register (人). Gender and birth date come from the ID number and are
    checked against it when given; the ID number and phone are encrypted and print masked."""

    class Relation(models.TextChoices):
        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        GRANDCHILD = "grandchild", _("grandchild")
        GRANDPARENT = "grandparent", _("grandparent")
        SIBLING = "sibling", _("brother or sister")
        OTHER = "other", _("other relation")

    class Residence(models.TextChoices):
        REGISTERED = "registered", _("registered resident")  # 户籍人口
        FLOATING = "floating", _("floating resident")  # 流动人口
        AWAY = "away", _("registered, living away")  # 外出人口

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    name = models.CharField(_("name"), max_length=50)
    # Pinyin initials of the name (张三 -> zs), for searching on a phone keyboard.
    name_initials = models.CharField(max_length=50, blank=True, editable=False)
    id_number = EncryptedField(_("ID number"), kind="id_number")
    # Keyed hash of the upper-cased number: exact search and uniqueness without the plain number.
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The last four characters, which a masked number shows anyway: searching by what one sees.
    id_tail = models.CharField(max_length=4, editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = EncryptedField(_("phone"), kind="phone")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    relation = models.CharField(
        _("relation to the head"), max_length=16, choices=Relation.choices, default=Relation.HEAD
    )
    residence = models.CharField(
        _("residence status"),
        max_length=16,
        choices=Residence.choices,
        default=Residence.REGISTERED,
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            *_scoped_indexes("resident", "name", "id"),
            models.Index(fields=["name_initials", "id"], name="resident_initials"),
            models.Index(fields=["id_tail"], name="resident_id_tail"),
            models.Index(fields=["household", "id"], name="resident_household"),
        ]

    def __str__(self) -> str:
        return self.name


class FocusKind(models.TextChoices):
    """Groups of people a grid worker visits; each kind is seen only by the roles allowed it
    (`core.access.FOCUS_PERMS`)."""

    ELDERLY_ALONE = "elderly_alone", _("elderly living alone")
    DISABLED = "disabled", _("disabled person")
    LEFT_BEHIND_CHILDREN = "left_behind_children", _("left-behind child")
    LOW_INCOME = "low_income", _("low-income household member")
    COMMUNITY_CORRECTION = "community_correction", _("under community correction")
    RELEASED = "released", _("released from prison")
    MENTAL_ILLNESS = "mental_illness", _("severe mental illness")
    DRUG_REHABILITATION = "drug_rehabilitation", _("drug rehabilitation")


class FocusMembership(RegionScoped):
    """A resident in a focus group, with how often they are to be visited."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="focus"
    )
    kind = models.CharField(_("focus group"), max_length=32, choices=FocusKind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=30)
    last_visited_on = models.DateField(_("last visited"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("focus group membership")
        verbose_name_plural = _("focus group memberships")
        constraints = [
            models.UniqueConstraint(fields=["resident", "kind"], name="focus_once_per_kind")
        ]
        indexes = [
            models.Index(fields=["grid_code", "kind", "id"], name="focus_grid_kind"),
            models.Index(fields=["village_code", "kind", "id"], name="focus_village_kind"),
            models.Index(fields=["town_code", "kind", "id"], name="focus_town_kind"),
            models.Index(fields=["county_code", "kind", "id"], name="focus_county_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.kind}"


class HomeVisit(RegionScoped):
    """A grid worker's visit to a household (走访), or to a focus-group member in it: when, what
    they found, any need, and the case it was reported as when a problem was found."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="visits"
    )
    # The focus-group member visited; empty for a visit to the household as a whole.
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visits",
    )
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    found = models.TextField(_("what was found"))
    need = models.TextField(_("need"), blank=True)
    # The number of the case a problem found was reported as (cases are another app's).
    case_number = models.CharField(_("case"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [
            models.Index(fields=["grid_code", "visited_on"], name="visit_grid_day"),
            models.Index(fields=["household", "visited_on"], name="visit_household_day"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"


class Organisation(RegionScoped):
    """An enterprise, a social organisation, a school or a public body (组织)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        SOCIAL = "social", _("social organisation")
        SCHOOL = "school", _("school")
        PUBLIC = "public", _("public body")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    # 统一社会信用代码 (GB 32100): 18 characters with a check character; schools and public
    # bodies have one too, but it is required only of enterprises and social organisations.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = _scoped_indexes("organisation", "name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="organisation_credit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnerUnit(RegionScoped):
    """A public body or company paired with a community (共建单位), and its instructor there."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships",
    )
    name = models.CharField(_("name"), max_length=120)
    instructor = models.CharField(_("instructor"), max_length=50, blank=True)
    # A work phone the unit chose to publish on the community's card.
    instructor_phone = models.CharField(_("instructor's work phone"), max_length=20, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")
        indexes = _scoped_indexes("partner", "name", "id")

    def __str__(self) -> str:
        return self.name


class CommunityCard(RegionScoped):
    """A community's or village's governance business card (治理名片): the fields staff keep; the
    counts are computed from the register when the card is shown. One per village region."""

    community_head = models.CharField(_("community head"), max_length=50, blank=True)
    community_head_phone = models.CharField(
        _("community head's work phone"), max_length=20, blank=True
    )
    property_managers = models.CharField(_("property managers"), max_length=300, blank=True)
    # Whether the grid workers' names and work phones are shown on the public card.
    publish_grid_workers = models.BooleanField(_("publish the grid workers"), default=False)
    # One service a line: "水电维修 · 王师傅 · 0917-5211234".
    public_services = models.TextField(_("public services"), blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("community card")
        verbose_name_plural = _("community cards")
        constraints = [
            models.UniqueConstraint(fields=["region_code"], name="one_card_per_community")
        ]

    def __str__(self) -> str:
        return self.region_code


class GridWorkerContact(RegionScoped):
    """A grid worker's name and work phone as staff chose to publish them on the card (a grid)."""

    name = models.CharField(_("name"), max_length=50)
    work_phone = models.CharField(_("work phone"), max_length=20, blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("grid worker contact")
        verbose_name_plural = _("grid worker contacts")
        indexes = _scoped_indexes("gridcontact", "name", "id")

    def __str__(self) -> str:
        return self.name


class Project(RegionScoped):
    """A co-construction project (共建项目) of a community with a partner unit."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("under way")
        DONE = "done", _("completed")

    title = models.CharField(_("project"), max_length=120)
    partner = models.ForeignKey(
        PartnerUnit,
        verbose_name=_("partner unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    instructor = models.CharField(_("instructor"), max_length=50, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    outcomes = models.TextField(_("outcomes"), blank=True)

    class Meta:
        verbose_name = _("co-construction project")
        verbose_name_plural = _("co-construction projects")
        indexes = _scoped_indexes("project", "starts_on", "id")

    def __str__(self) -> str:
        return self.title
