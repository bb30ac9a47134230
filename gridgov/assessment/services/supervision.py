"""Supervision orders (督办): an official issues one against a late case, a weak village or town
or a grid worker, with what must be done and by when; the addressee answers; the issuer closes
it or sends the answer back. Each step is on the order's timeline, audited and told to whoever
it now waits on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gridgov.accounts.selectors import active_user_named, role_holder_ids
from gridgov.assessment import errors, notices
from gridgov.assessment.models import OrderEvent, OrderState, OrderTarget, SupervisionOrder
from gridgov.assessment.selectors import answers_for_unit
from gridgov.assessment.states import BY_ADDRESSEE, Step, next_state
from gridgov.cases.selectors import case_queryset
from gridgov.cases.selectors.measures import is_late
from gridgov.core import codes
from gridgov.core.access import Perm, Role, roles_granting
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, PermissionDenied, Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.notifications.services import notify
from gridgov.regions.selectors import region_queryset

MAX_DAYS_AHEAD = 90
TEXT_MAX = 2000


@dataclass
class OrderInput:
    target: str
    request: str
    deadline_on: date | None
    case_number: str = ""
    unit: str = ""  # a village's or town's code
    worker: str = ""  # a grid worker's username


@dataclass
class _Addressed:
    region_code: str
    subject_name: str
    case_number: str = ""
    addressee: Any = None
    addressee_code: str = ""


def _within(code: str, allowed: list[str]) -> bool:
    return any(codes.is_within(code, top) for top in allowed)


def _case_target(actor: Any, number: str, allowed: list[str]) -> _Addressed:
    case = (
        case_queryset(actor=actor).select_related("assignee").filter(number=number.strip()).first()
    )
    if case is None or not _within(case.region_code, allowed):
        raise ValidationFailed.on("case_number", errors.CASE_NOT_FOUND, number=number.strip())
    if not is_late(case, now=timezone.now()):
        raise ValidationFailed.on("case_number", errors.CASE_NOT_LATE, number=case.number)
    # The handler answers for a dispatched case; the unit handling it otherwise.
    return _Addressed(
        region_code=case.region_code,
        subject_name=f"{case.number} {case.title}"[:120],
        case_number=case.number,
        addressee=case.assignee,
        addressee_code="" if case.assignee else case.handling_code,
    )


def _unit_target(actor: Any, code: str, allowed: list[str]) -> _Addressed:
    code = code.strip()
    region = None
    if len(code) in (codes.TOWN_LEN, codes.VILLAGE_LEN) and _within(code, allowed):
        region = region_queryset(actor=actor).filter(region_code=code).first()
    if region is None:
        raise ValidationFailed.on("unit", errors.UNIT_NOT_FOUND)
    return _Addressed(region_code=code, subject_name=region.name, addressee_code=code)


def _worker_target(username: str, allowed: list[str]) -> _Addressed:
    user = active_user_named(username=username.strip()) if username.strip() else None
    grids = (
        [
            a.region_code
            for a in user.active_assignments()
            if a.role == Role.GRID_WORKER and _within(a.region_code, allowed)
        ]
        if user is not None
        else []
    )
    if user is None or not grids:
        raise ValidationFailed.on("worker", errors.WORKER_NOT_FOUND, username=username.strip())
    return _Addressed(
        region_code=sorted(grids)[0],
        subject_name=(user.display_name or user.username)[:120],
        addressee=user,
    )


def _addressed(actor: Any, data: OrderInput, allowed: list[str]) -> _Addressed:
    if data.target == OrderTarget.CASE and data.case_number.strip():
        return _case_target(actor, data.case_number, allowed)
    if data.target == OrderTarget.UNIT and data.unit.strip():
        return _unit_target(actor, data.unit, allowed)
    if data.target == OrderTarget.WORKER and data.worker.strip():
        return _worker_target(data.worker, allowed)
    field = {"case": "case_number", "unit": "unit", "worker": "worker"}.get(data.target, "target")
    raise ValidationFailed.on(field, errors.TARGET_REQUIRED)


def _check_text(data: OrderInput) -> dict[str, list[Problem]]:
    problems: dict[str, list[Problem]] = {}
    if not data.request.strip() or len(data.request) > TEXT_MAX:
        problems["request"] = [errors.TEXT_REQUIRED.bind()]
    today = timezone.localdate()
    if data.deadline_on is None or not (
        today <= data.deadline_on <= today + timedelta(days=MAX_DAYS_AHEAD)
    ):
        problems["deadline_on"] = [errors.DEADLINE_PAST.bind()]
    return problems


def _responders(order: SupervisionOrder) -> set[int]:
    """Whom an open order waits on: its addressee, or whoever answers for its unit."""
    if order.addressee_id is not None:
        return {order.addressee_id}
    holders = role_holder_ids(
        roles=roles_granting(Perm.SUPERVISION_RESPOND), region_codes=[order.addressee_code]
    )
    return holders.get(order.addressee_code, set())


def _number(day: date) -> str:
    prefix = f"DB{day:%Y%m%d}"
    taken = SupervisionOrder.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _params(order: SupervisionOrder) -> dict[str, str]:
    return {
        "number": order.number,
        "subject": order.subject_name,
        "deadline": order.deadline_on.isoformat(),
    }


def order_issue(*, actor: Any, data: OrderInput) -> SupervisionOrder:
    """Issue a supervision order within the actor's jurisdiction; the addressee is told."""
    allowed = require_permission(actor, Perm.SUPERVISION_ISSUE)
    problems = _check_text(data)
    try:
        addressed = _addressed(actor, data, allowed)
    except ValidationFailed as error:
        problems.update(error.problems)
    if problems:
        raise ValidationFailed(problems)
    assert data.deadline_on is not None
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                order = SupervisionOrder(
                    number=_number(timezone.localdate(now)),
                    target=data.target,
                    case_number=addressed.case_number,
                    addressee=addressed.addressee,
                    addressee_code=addressed.addressee_code,
                    subject_name=addressed.subject_name,
                    request=data.request.strip(),
                    deadline_on=data.deadline_on,
                    issued_by=actor,
                    issued_at=now,
                )
                order.set_region_code(addressed.region_code)
                order.save()
                break
        except IntegrityError:
            continue  # another order took the number at the same moment: the next one
    else:
        raise Conflict(errors.ORDER_STATE, state=OrderState.OPEN.label, step=Step.RESPOND)
    with transaction.atomic():
        OrderEvent.objects.create(
            order=order, created_at=now, actor=actor, action="issue", to_state=order.state
        )
        audit_record(
            actor=actor,
            action="assessment.order_issue",
            object_type="supervision_order",
            object_id=order.number,
            region_code=order.region_code,
            detail={"target": order.target, "case": order.case_number},
        )
        notify(
            recipient_ids=_responders(order),
            key=notices.ORDER_ISSUED.key,
            params=_params(order),
            object_type=notices.ORDER,
            object_id=order.number,
        )
    return order


def may_respond(actor: Any, order: SupervisionOrder) -> bool:
    if order.addressee_id is not None:
        return bool(order.addressee_id == actor.pk)
    return answers_for_unit(actor, order.addressee_code)


STEP_AUDIT = {
    Step.RESPOND: "assessment.order_respond",
    Step.CLOSE: "assessment.order_close",
    Step.RETURN: "assessment.order_return",
    Step.WITHDRAW: "assessment.order_withdraw",
}
STEP_NOTICE = {
    Step.RESPOND: notices.ORDER_RESPONDED,
    Step.CLOSE: notices.ORDER_CLOSED,
    Step.RETURN: notices.ORDER_RETURNED,
}


def order_step(
    *, actor: Any, order: SupervisionOrder, step: str, note: str = ""
) -> SupervisionOrder:
    """Take a step on an order: the addressee responds (with the response as `note`); the issuer
    closes it, sends the response back or withdraws it. A step its state does not allow is
    refused (409), as is a step by someone whose step it is not (403)."""
    if step in BY_ADDRESSEE:
        require_permission(actor, Perm.SUPERVISION_RESPOND)
        if not may_respond(actor, order):
            raise PermissionDenied(errors.NOT_ADDRESSEE)
        if not note.strip() or len(note) > TEXT_MAX:
            raise ValidationFailed.on("response", errors.RESPONSE_REQUIRED)
    elif order.issued_by_id != actor.pk:
        raise PermissionDenied(errors.NOT_ISSUER)
    if len(note) > TEXT_MAX:
        raise ValidationFailed.on("note", errors.TEXT_REQUIRED)
    now = timezone.now()
    with transaction.atomic():
        order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
        target = next_state(step, order.state)
        if target is None:
            raise Conflict(errors.ORDER_STATE, state=order.get_state_display(), step=step)
        before = order.state
        order.state = target
        fields = ["state"]
        if step == Step.RESPOND:
            order.response = note.strip()
            order.responded_by = actor
            order.responded_at = now
            fields += ["response", "responded_by", "responded_at"]
        if target in (OrderState.CLOSED, OrderState.WITHDRAWN):
            order.closed_at = now
            fields.append("closed_at")
        order.save(update_fields=fields)
        OrderEvent.objects.create(
            order=order,
            created_at=now,
            actor=actor,
            action=step,
            from_state=before,
            to_state=target,
            note=note.strip(),
        )
        audit_record(
            actor=actor,
            action=STEP_AUDIT[Step(step)],
            object_type="supervision_order",
            object_id=order.number,
            region_code=order.region_code,
            detail={"from": before, "to": target},
        )
        notice = STEP_NOTICE.get(Step(step))
        if notice is not None:
            recipients = {order.issued_by_id} if step == Step.RESPOND else _responders(order)
            notify(
                recipient_ids=recipients - {actor.pk},
                key=notice.key,
                params=_params(order),
                object_type=notices.ORDER,
                object_id=order.number,
            )
    return order
