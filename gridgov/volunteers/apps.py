from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
from gridgov.core.menu import MenuEntry, register_menu


class VolunteersConfig(AppConfig):
    name = "gridgov.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteer service")

    def ready(self) -> None:
        register_menu(
            MenuEntry(
                "volunteer_events",
                _("Volunteer events"),
                "volunteers:events",
                Perm.VOLUNTEERS_VIEW,
                162,
            ),
            MenuEntry(
                "micro_wishes", _("Micro-wishes"), "volunteers:wishes", Perm.VOLUNTEERS_VIEW, 163
            ),
            MenuEntry(
                "volunteer_hours",
                _("Service hours"),
                "volunteers:hours",
                Perm.VOLUNTEERS_VIEW,
                164,
            ),
        )
        register_audit_actions(
            {
                "volunteers.": _("Volunteer service"),
                "volunteers.event_create": _("Held a volunteer service event"),
                "volunteers.sign_up": _("Signed a volunteer up for an event"),
                "volunteers.withdraw": _("Withdrew a volunteer from an event"),
                "volunteers.check_in": _("Checked a volunteer in"),
                "volunteers.check_out": _("Checked a volunteer out"),
                "volunteers.correct": _("Corrected a volunteer's minutes"),
                "volunteers.wish_record": _("Recorded a resident's micro-wish"),
                "volunteers.wish_take": _("Took up a micro-wish"),
                "volunteers.wish_release": _("Gave a micro-wish back"),
                "volunteers.wish_fulfil": _("Fulfilled a micro-wish"),
                "volunteers.wish_confirm": _("Confirmed a micro-wish with the resident"),
                "volunteers.wish_reopen": _("Reopened a micro-wish"),
                "volunteers.wish_withdraw": _("Withdrew a micro-wish"),
                "volunteers.wish_reveal_phone": _("Viewed a micro-wish resident's phone in full"),
                "micro_wish.reveal_phone": _(
                    "Asked for a micro-wish resident's phone without the right to"
                ),
                "volunteer_event.view": _(
                    "Looked for a volunteer event outside their jurisdiction"
                ),
                "micro_wish.view": _("Looked for a micro-wish outside their jurisdiction"),
            }
        )
