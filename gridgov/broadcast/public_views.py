"""The public alerts (no login): the county's sent messages as a page and an Atom feed, with what
was said, where and when; never who composed or approved them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from gridgov.broadcast import selectors
from gridgov.broadcast.cap import sent_at
from gridgov.broadcast.models import Broadcast


def _county_code() -> str:
    return str(settings.GRIDGOV_COUNTY_CODE)


def _county_name() -> str:
    code = _county_code()
    return selectors.target_names(codes={code}).get(code, "")


@dataclass(frozen=True)
class PublicAlert:
    """One sent message as the public sees it."""

    anchor: str
    title: str
    text: str
    kind: str
    severity: str
    places: str
    sent_at: datetime
    expires_at: datetime


def public_alerts() -> list[PublicAlert]:
    messages = selectors.public_alert_list(county_code=_county_code())
    names = selectors.target_names(codes={code for row in messages for code in row.target_codes})
    return [
        PublicAlert(
            anchor=f"alert-{message.identifier}",
            title=message.title,
            text=message.text,
            kind=message.get_kind_display(),
            severity=message.get_severity_display(),
            places="、".join(names.get(code, "") for code in message.target_codes),
            sent_at=sent_at(message),
            expires_at=message.expires_at,
        )
        for message in messages
    ]


@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    """The county's recent alerts, newest first, with a link to their feed."""
    return render(
        request,
        "public/alerts.html",
        {"alerts": public_alerts(), "county_name": _county_name()},
    )


class PublicAlertsFeed(Feed):
    """The same alerts as an Atom feed, for other systems and feed readers."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return gettext("Emergency broadcasts of %(county)s") % {"county": _county_name()}

    def subtitle(self) -> str:
        return gettext("Warnings and notices read out on the loudspeakers, newest first.")

    def link(self) -> str:
        return reverse("alerts:list")

    def feed_url(self) -> str:
        return reverse("alerts:feed")

    def author_name(self) -> str:
        return _county_name()

    def items(self) -> list[Broadcast]:
        return selectors.public_alert_list(county_code=_county_code())

    def item_title(self, item: Broadcast) -> str:
        return item.title

    def item_description(self, item: Broadcast) -> str:
        names = selectors.target_names(codes=item.target_codes)
        places = "、".join(names.get(code, "") for code in item.target_codes)
        return f"{places}: {item.text}"

    def item_link(self, item: Broadcast) -> str:
        return f"{reverse('alerts:list')}#alert-{item.identifier}"

    def item_guid(self, item: Broadcast) -> str:
        return f"urn:uuid:{item.identifier}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Broadcast) -> datetime:
        return sent_at(item)

    def item_updateddate(self, item: Broadcast) -> datetime:
        return item.updated_at

    def item_categories(self, item: Broadcast) -> list[str]:
        return [str(item.get_kind_display())]
