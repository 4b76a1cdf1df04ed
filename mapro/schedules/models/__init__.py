from .calendar import CalendarException
from .cronogramas import CalendarFeedToken, Schedule, ScheduleOccurrence
from .deadlines import DeadlineNotice

__all__ = [
    "CalendarException",
    "CalendarFeedToken",
    "DeadlineNotice",
    "Schedule",
    "ScheduleOccurrence",
]
