"""State changes of the schedules domain: the business calendar and the cronogramas."""

from .calendar import (
    CALENDAR_ADMIN_ROLES,
    can_change_calendar,
    check_calendar_exception,
    check_can_change_calendar,
    do_create_calendar_exception,
    do_delete_calendar_exception,
    do_update_calendar_exception,
)

__all__ = [
    "CALENDAR_ADMIN_ROLES",
    "can_change_calendar",
    "check_calendar_exception",
    "check_can_change_calendar",
    "do_create_calendar_exception",
    "do_delete_calendar_exception",
    "do_update_calendar_exception",
]
