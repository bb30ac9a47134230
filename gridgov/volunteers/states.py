"""The micro-wish's life as one table, pure Python: each step, the states it may start from,
where it leads and who may take it. A step not in the table for the wish's state is refused
(409). `WAITING_ON` says whose move it is in each state, for everyone's lists."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.volunteers.models import WishState


class WishStep(StrEnum):
    TAKE = "take"  # a volunteer takes it up (or an organiser gives it to one)
    RELEASE = "release"  # the volunteer cannot do it after all: back to waiting
    FULFIL = "fulfil"  # the volunteer says it is done, with what was done
    CONFIRM = "confirm"  # the organiser confirmed with the resident
    REOPEN = "reopen"  # the resident says it is not done: back to the volunteer
    WITHDRAW = "withdraw"  # not wanted any more, or not for volunteers (with a reason)


class Who(StrEnum):
    VOLUNTEER = "volunteer"  # a volunteer serving there (the one who took it, once taken)
    ORGANISER = "organiser"  # whoever organises volunteers there


@dataclass(frozen=True)
class Transition:
    step: WishStep
    sources: frozenset[str]
    target: str
    who: frozenset[Who]


_BOTH = frozenset({Who.VOLUNTEER, Who.ORGANISER})
TRANSITIONS: dict[WishStep, Transition] = {
    t.step: t
    for t in [
        Transition(WishStep.TAKE, frozenset({WishState.POSTED}), WishState.TAKEN, _BOTH),
        Transition(WishStep.RELEASE, frozenset({WishState.TAKEN}), WishState.POSTED, _BOTH),
        Transition(WishStep.FULFIL, frozenset({WishState.TAKEN}), WishState.FULFILLED, _BOTH),
        Transition(
            WishStep.CONFIRM,
            frozenset({WishState.FULFILLED}),
            WishState.CONFIRMED,
            frozenset({Who.ORGANISER}),
        ),
        Transition(
            WishStep.REOPEN,
            frozenset({WishState.FULFILLED}),
            WishState.TAKEN,
            frozenset({Who.ORGANISER}),
        ),
        Transition(
            WishStep.WITHDRAW,
            frozenset({WishState.POSTED, WishState.TAKEN}),
            WishState.WITHDRAWN,
            frozenset({Who.ORGANISER}),
        ),
    ]
}

STEP_LABELS = {
    WishStep.TAKE: pgettext_lazy("micro-wish step", "Take it up"),
    WishStep.RELEASE: pgettext_lazy("micro-wish step", "Give it back"),
    WishStep.FULFIL: pgettext_lazy("micro-wish step", "Done"),
    WishStep.CONFIRM: pgettext_lazy("micro-wish step", "Resident confirmed"),
    WishStep.REOPEN: pgettext_lazy("micro-wish step", "Not done yet"),
    WishStep.WITHDRAW: pgettext_lazy("micro-wish step", "Withdraw"),
}
# Past participles for the refusal ("cannot be confirmed").
STEP_DONE = {
    WishStep.TAKE: pgettext_lazy("micro-wish step done", "taken up"),
    WishStep.RELEASE: pgettext_lazy("micro-wish step done", "given back"),
    WishStep.FULFIL: pgettext_lazy("micro-wish step done", "fulfilled"),
    WishStep.CONFIRM: pgettext_lazy("micro-wish step done", "confirmed"),
    WishStep.REOPEN: pgettext_lazy("micro-wish step done", "reopened"),
    WishStep.WITHDRAW: pgettext_lazy("micro-wish step done", "withdrawn"),
}
# Steps that need a note: what was done, why it was withdrawn, what is missing.
NOTE_REQUIRED = frozenset({WishStep.FULFIL, WishStep.WITHDRAW, WishStep.REOPEN})

# Whose move it is: nobody once it is confirmed or withdrawn.
WAITING_ON: dict[str, Who | None] = {
    WishState.POSTED: Who.VOLUNTEER,
    WishState.TAKEN: Who.VOLUNTEER,
    WishState.FULFILLED: Who.ORGANISER,
    WishState.CONFIRMED: None,
    WishState.WITHDRAWN: None,
}
WAITING_LABELS = {
    WishState.POSTED: _("any volunteer to take it up"),
    WishState.TAKEN: _("%(volunteer)s to fulfil it"),
    WishState.FULFILLED: _("the organiser to confirm it with %(resident)s"),
}


def steps_from(state: str) -> list[WishStep]:
    return [step for step, t in TRANSITIONS.items() if state in t.sources]
