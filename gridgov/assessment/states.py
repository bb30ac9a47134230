"""A supervision order's states and steps: one declarative table, pure Python.

issued -> open (waits on the addressee) -> respond -> responded (waits on the issuer)
-> close, or send back (open again); the issuer may withdraw it until it is closed.
"""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    RESPOND = "respond"
    CLOSE = "close"
    RETURN = "return"
    WITHDRAW = "withdraw"


# (step, from state) -> to state; a step not in the table is refused (409).
TRANSITIONS: dict[tuple[str, str], str] = {
    (Step.RESPOND, "open"): "responded",
    (Step.CLOSE, "responded"): "closed",
    (Step.RETURN, "responded"): "open",
    (Step.WITHDRAW, "open"): "withdrawn",
    (Step.WITHDRAW, "responded"): "withdrawn",
}
# Who takes each step: the addressee answers, the issuer reviews and withdraws.
BY_ADDRESSEE = frozenset({Step.RESPOND})
BY_ISSUER = frozenset({Step.CLOSE, Step.RETURN, Step.WITHDRAW})


def next_state(step: str, state: str) -> str | None:
    return TRANSITIONS.get((step, state))
