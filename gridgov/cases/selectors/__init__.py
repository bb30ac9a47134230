"""Every read of cases, scoped to the actor: the cases themselves (`cases`) and the work pages'
listings (`queues`)."""

from gridgov.cases.selectors.cases import (
    CaseFilters,
    case_by_number_and_code,
    case_by_tracking_token,
    case_get,
    case_list,
    case_list_values,
    case_queryset,
    case_timeline,
    category_list,
    decode_cursor,
    encode_cursor,
    my_tasks,
    newest_page,
    parse_cursor_time,
    queue_page,
    unit_queue,
    visible_linked_case,
)

__all__ = [
    "CaseFilters",
    "case_by_number_and_code",
    "case_by_tracking_token",
    "case_get",
    "case_list",
    "case_list_values",
    "case_queryset",
    "case_timeline",
    "category_list",
    "decode_cursor",
    "encode_cursor",
    "my_tasks",
    "newest_page",
    "parse_cursor_time",
    "queue_page",
    "unit_queue",
    "visible_linked_case",
]
