"""The seeded two-level case classification (codes are also the Open311 service codes).

Each entry: code, Chinese name, English name, is-dispute, resolve days, sub-categories.
Loaded by a data migration; editable afterwards in the admin.

`PUBLIC_CATEGORIES` are the ones whose cases may be published (Open311): problems of a place
(roads, utilities, sanitation, fire and traffic hazards). Disputes, petitions and stability risks,
public security, personal hardship and care, epidemics, policy questions and "other" are about
people, so their cases are never published.
"""

from __future__ import annotations

from typing import Any

CATALOGUE: list[tuple[str, str, str, bool, int, list[tuple[str, str, str]]]] = [
    (
        "dispute",
        "矛盾纠纷",
        "Disputes",
        True,
        15,
        [
            ("dispute-neighbour", "邻里纠纷", "Neighbour dispute"),
            ("dispute-family", "婚姻家庭纠纷", "Marriage and family dispute"),
            ("dispute-land", "土地山林权属纠纷", "Land and boundary dispute"),
            ("dispute-labour", "劳资纠纷", "Labour and wages dispute"),
            ("dispute-property", "物业管理纠纷", "Property management dispute"),
            ("dispute-consumer", "消费纠纷", "Consumer dispute"),
            ("dispute-medical", "医疗纠纷", "Medical dispute"),
            ("dispute-traffic", "交通事故纠纷", "Traffic dispute"),
        ],
    ),
    (
        "safety",
        "公共安全隐患",
        "Public-safety hazards",
        False,
        3,
        [
            ("safety-fire", "消防隐患", "Fire hazard"),
            ("safety-building", "危房及地质灾害", "Unsafe building or landslide"),
            ("safety-traffic", "道路交通安全", "Road traffic safety"),
            ("safety-security", "治安隐患", "Public-security risk"),
        ],
    ),
    (
        "environment",
        "环境卫生",
        "Environment and sanitation",
        False,
        5,
        [
            ("environment-waste", "垃圾清运", "Waste collection"),
            ("environment-pollution", "污染问题", "Pollution"),
            ("environment-sewage", "污水排放", "Sewage"),
        ],
    ),
    (
        "infrastructure",
        "道路与公用设施",
        "Roads and utilities",
        False,
        7,
        [
            ("infrastructure-road", "道路损坏", "Damaged road"),
            ("infrastructure-water", "供水问题", "Water supply"),
            ("infrastructure-power", "供电问题", "Power supply"),
            ("infrastructure-streetlight", "路灯故障", "Street light out"),
        ],
    ),
    (
        "livelihood",
        "社会救助与民生诉求",
        "Social assistance and livelihood",
        False,
        10,
        [
            ("livelihood-assistance", "困难救助", "Hardship assistance"),
            ("livelihood-elderly", "养老服务", "Elderly care"),
            ("livelihood-employment", "就业帮扶", "Employment help"),
        ],
    ),
    ("epidemic", "疫情防控", "Epidemic prevention", False, 2, []),
    ("policy", "政策咨询", "Policy consultation", False, 5, []),
    (
        "stability",
        "信访与稳定风险",
        "Petitions and stability risks",
        True,
        10,
        [
            ("stability-petition", "信访诉求", "Petition"),
            ("stability-collective", "群体性事件隐患", "Risk of a collective incident"),
        ],
    ),
    ("other", "其他", "Other", False, 7, []),
]


PUBLIC_CATEGORIES: frozenset[str] = frozenset(
    {
        "safety-fire",
        "safety-building",
        "safety-traffic",
        "environment",
        "environment-waste",
        "environment-pollution",
        "environment-sewage",
        "infrastructure",
        "infrastructure-road",
        "infrastructure-water",
        "infrastructure-power",
        "infrastructure-streetlight",
    }
)


def mark_public_categories(category_model: Any) -> int:
    """Set `public` on the catalogue's categories as PUBLIC_CATEGORIES says; returns how many are
    public. Categories outside the catalogue are left as they are."""
    codes: list[str] = []
    for code, *_rest, children in CATALOGUE:
        codes += [code, *(child[0] for child in children)]
    category_model.objects.filter(code__in=codes).exclude(code__in=PUBLIC_CATEGORIES).update(
        public=False
    )
    return int(category_model.objects.filter(code__in=PUBLIC_CATEGORIES).update(public=True))


def seed_categories(category_model: Any) -> int:
    """Create the catalogue's categories that do not exist yet, and mark the public ones when
    the model has the flag (the first data migration's model does not); returns how many were
    created."""
    created = 0
    for order, (code, name, name_en, is_dispute, days, children) in enumerate(CATALOGUE):
        parent, made = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "is_dispute": is_dispute,
                "resolve_days": days,
                "sort_order": order * 100,
            },
        )
        created += made
        for child_order, (child_code, child_name, child_name_en) in enumerate(children):
            _, made = category_model.objects.get_or_create(
                code=child_code,
                defaults={
                    "parent": parent,
                    "name": child_name,
                    "name_en": child_name_en,
                    "is_dispute": is_dispute,
                    "resolve_days": days,
                    "sort_order": order * 100 + child_order + 1,
                },
            )
            created += made
    if any(field.name == "public" for field in category_model._meta.get_fields()):
        mark_public_categories(category_model)
    return created
