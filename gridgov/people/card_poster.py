"""The community card as an A4 poster to put up on the notice board: what the public card shows,
and a QR code that opens it on a phone."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gridgov.documents.pdf import PdfDocument
from gridgov.people.cards import PublicCard

# Large enough to scan from a step away on a notice board.
POSTER_QR_MM = 70


def card_poster_pdf(public: PublicCard, *, card_url: str) -> bytes:
    title = _("%(name)s governance business card") % {"name": public.name}
    document = PdfDocument(title=title).title_block(title)
    card = public.card
    if card is not None and card.introduction:
        document.paragraph(card.introduction)
    facts: list[tuple[str, object]] = [
        (_("Households"), f"{public.households:,}"),
        (_("Residents"), f"{public.residents:,}"),
    ]
    if card is not None and card.community_head:
        head = card.community_head
        if card.community_head_phone:
            head = f"{head} · {card.community_head_phone}"
        facts.append((_("Community head"), head))
    if card is not None and card.property_managers:
        facts.append((_("Property managers"), card.property_managers))
    if public.grid_workers:
        facts.append(
            (
                _("Grid workers"),
                "\n".join(
                    f"{contact.name} · {contact.work_phone}" if contact.work_phone else contact.name
                    for contact in public.grid_workers
                ),
            )
        )
    if public.services:
        facts.append((_("Public services"), "\n".join(public.services)))
    if public.partners:
        facts.append(
            (
                _("Partner units"),
                "\n".join(
                    f"{partner.name} · {partner.instructor}" if partner.instructor else partner.name
                    for partner in public.partners
                ),
            )
        )
    document.fields(facts)
    document.qr_code(
        card_url, size_mm=POSTER_QR_MM, caption=_("Scan to open this card on your phone")
    )
    document.small(card_url)
    return document.render()
