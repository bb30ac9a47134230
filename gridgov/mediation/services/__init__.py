"""Every write to mediation: centres, the desk's registration, the work on a file."""

from gridgov.mediation.services.centres import centre_create
from gridgov.mediation.services.linkage import file_refer
from gridgov.mediation.services.meetings import (
    MeetingInput,
    TaskInput,
    meeting_record,
    meeting_task_done,
)
from gridgov.mediation.services.register import DisputeInput, PartyInput, dispute_register
from gridgov.mediation.services.risks import RiskInput, risk_follow_up, risk_raise
from gridgov.mediation.services.work import (
    file_record_follow_up,
    file_record_judicial,
    file_record_outcome,
    session_record,
    session_schedule,
)

__all__ = [
    "DisputeInput",
    "MeetingInput",
    "PartyInput",
    "RiskInput",
    "TaskInput",
    "centre_create",
    "dispute_register",
    "file_record_follow_up",
    "file_record_judicial",
    "file_record_outcome",
    "file_refer",
    "meeting_record",
    "meeting_task_done",
    "risk_follow_up",
    "risk_raise",
    "session_record",
    "session_schedule",
]
