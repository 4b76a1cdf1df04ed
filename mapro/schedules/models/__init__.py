from .calendar import CalendarException
from .cronogramas import CalendarFeedToken, Schedule, ScheduleOccurrence
from .deadlines import DeadlineNotice
from .plans import Plan, PlanItem, PlanOccurrence

__all__ = [
    "CalendarException",
    "CalendarFeedToken",
    "DeadlineNotice",
    "Plan",
    "PlanItem",
    "PlanOccurrence",
    "Schedule",
    "ScheduleOccurrence",
]
