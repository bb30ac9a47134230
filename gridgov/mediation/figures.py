"""The seed's figures for a region and a period, each computed from records and each with the
address of the list of records behind it: disputes accepted (files opened), disputes referred
(transferred out of people's mediation), disputes resolved by each level of centre (an agreement
or a partial one), hidden dangers found and resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gridgov.core.scoping import Actor
from gridgov.mediation.models import CentreLevel
from gridgov.mediation.selectors import FileFilters, RiskFilters, file_list, risk_list


@dataclass(frozen=True)
class Figure:
    key: str
    value: int
    href: str  # the API's list of the records counted
    page: str = ""  # the same list as a page

    @property
    def label(self) -> str:
        return str(FIGURE_LABELS.get(self.key, self.key))


FIGURE_LABELS = {
    "disputes_accepted": _("Disputes accepted"),
    "disputes_referred": _("Disputes referred (transferred)"),
    "resolved_by_village_centres": _("Resolved by village/community centres"),
    "resolved_by_town_centres": _("Resolved by town/street centres"),
    "resolved_by_county_centres": _("Resolved by the county centre"),
    "hidden_dangers_found": _("Hidden dangers found"),
    "hidden_dangers_resolved": _("Hidden dangers resolved"),
}
# The page that lists what each API list holds, with the same query.
PAGES = {"mediation-api:file-list": "mediation:files", "mediation-api:risk-list": "mediation:risks"}


def _figure(key: str, value: int, name: str, params: dict[str, str]) -> Figure:
    query = urlencode({k: v for k, v in params.items() if v})
    return Figure(key, value, f"{reverse(name)}?{query}", f"{reverse(PAGES[name])}?{query}")


def seed_figures(
    *, actor: Actor, region_code: str, since: datetime, until: datetime
) -> list[Figure]:
    """Every figure counts exactly the rows its `href` lists (in the actor's jurisdiction)."""
    period = {"region": region_code}
    # A dispute accepted is one whose mediation file a centre opened (受理) in the period.
    accepted = file_list(
        actor=actor,
        filters=FileFilters(
            region_code=region_code, registered_from=since, registered_before=until
        ),
    ).count()
    figures = [
        _figure(
            "disputes_accepted",
            accepted,
            "mediation-api:file-list",
            {
                **period,
                "registered_from": since.isoformat(),
                "registered_before": until.isoformat(),
            },
        )
    ]
    referred = file_list(
        actor=actor,
        filters=FileFilters(region_code=region_code, referred_from=since, referred_before=until),
    ).count()
    figures.append(
        _figure(
            "disputes_referred",
            referred,
            "mediation-api:file-list",
            {**period, "referred_from": since.isoformat(), "referred_before": until.isoformat()},
        )
    )
    for level in CentreLevel.values:
        resolved = file_list(
            actor=actor,
            filters=FileFilters(
                region_code=region_code,
                outcome="agreed",
                centre_level=level,
                concluded_from=since,
                concluded_before=until,
            ),
        ).count()
        figures.append(
            _figure(
                f"resolved_by_{level}_centres",
                resolved,
                "mediation-api:file-list",
                {
                    **period,
                    "outcome": "agreed",
                    "centre_level": level,
                    "concluded_from": since.isoformat(),
                    "concluded_before": until.isoformat(),
                },
            )
        )
    found = risk_list(
        actor=actor,
        filters=RiskFilters(region_code=region_code, found_from=since, found_before=until),
    ).count()
    resolved_risks = risk_list(
        actor=actor,
        filters=RiskFilters(region_code=region_code, resolved_from=since, resolved_before=until),
    ).count()
    figures += [
        _figure(
            "hidden_dangers_found",
            found,
            "mediation-api:risk-list",
            {**period, "found_from": since.isoformat(), "found_before": until.isoformat()},
        ),
        _figure(
            "hidden_dangers_resolved",
            resolved_risks,
            "mediation-api:risk-list",
            {**period, "resolved_from": since.isoformat(), "resolved_before": until.isoformat()},
        ),
    ]
    return figures
