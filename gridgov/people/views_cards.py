"""The community card: the public page (no login) and the staff page that keeps it."""

from __future__ import annotations

from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from gridgov.accounts.actors import actor_from
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view, public_page
from gridgov.people import cards
from gridgov.people.card_poster import card_poster_pdf
from gridgov.people.forms import CardForm, ContactForm, PartnerForm, ProjectForm


def card_url(request: HttpRequest, region_code: str) -> str:
    return request.build_absolute_uri(reverse("cards:card", args=[region_code]))


def qr_svg(url: str) -> str:
    """The card's address as a QR code, an SVG element to put in the page."""
    return str(segno.make(url, error="m").svg_inline(scale=4, title=url))


@require_GET
@public_page
def card(request: HttpRequest, region_code: str) -> HttpResponse:
    public = cards.card_public(region_code=region_code)
    response = render(request, "people/card.html", {"public": public})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
@public_page
def card_poster(request: HttpRequest, region_code: str) -> HttpResponse:
    """The card as an A4 poster with its QR code, for the community's notice board."""
    public = cards.card_public(region_code=region_code)
    body = card_poster_pdf(public, card_url=card_url(request, region_code))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{region_code}.pdf"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
@page_view
def card_list(request: HttpRequest) -> HttpResponse:
    communities = cards.card_communities(actor=actor_from(request))
    return render(request, "people/cards.html", {"communities": communities})


def _forms(
    public: cards.PublicCard, grids: list[tuple[str, str]], data: Any, which: str
) -> dict[str, Any]:
    card = public.card
    initial = (
        {
            "community_head": card.community_head,
            "community_head_phone": card.community_head_phone,
            "property_managers": card.property_managers,
            "publish_grid_workers": card.publish_grid_workers,
            "public_services": card.public_services,
            "introduction": card.introduction,
        }
        if card
        else {}
    )
    return {
        "card_form": CardForm(data if which == "card" else None, initial=initial),
        "contact_form": ContactForm(data if which == "contact" else None, grids=grids),
        "partner_form": PartnerForm(data if which == "partner" else None),
        "project_form": ProjectForm(
            data if which == "project" else None,
            partners=[(p.pk, p.name) for p in public.partners],
        ),
    }


@require_http_methods(["GET", "POST"])
@page_view
def card_edit(request: HttpRequest, region_code: str) -> HttpResponse:
    actor = actor_from(request)
    public = cards.card_for_staff(actor=actor, region_code=region_code)
    grids = cards.card_grids(actor=actor, region_code=region_code)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms = _forms(public, grids, request.POST, which)
    if which:
        form = forms.get(f"{which}_form")
        if form is not None and form.is_valid():
            try:
                _save(actor, region_code, which, form.cleaned_data)
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                return redirect("people:card", region_code=region_code)
    url = card_url(request, region_code)
    context = {"public": public, "card_url": url, "qr": qr_svg(url), **forms}
    return render(request, "people/card_edit.html", context, status=400 if which else 200)


def _save(actor: Any, region_code: str, which: str, data: dict[str, Any]) -> None:
    if which == "card":
        cards.card_update(actor=actor, region_code=region_code, fields=data)
    elif which == "contact":
        cards.grid_contact_add(
            actor=actor,
            grid_code=data["grid"],
            name=data["name"],
            work_phone=data["work_phone"],
            published=data["published"],
        )
    elif which == "partner":
        cards.partner_add(actor=actor, region_code=region_code, **data)
    elif which == "project":
        cards.project_add(
            actor=actor,
            region_code=region_code,
            title=data["title"],
            partner_id=data["partner"],
            instructor=data["instructor"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            status=data["status"],
            outcomes=data["outcomes"],
        )
