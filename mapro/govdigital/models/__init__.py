"""Models of the digital-government registers."""

from .committee import Agreement, Attendance, Session
from .plans import FollowUpPeriod, Indicator, Objective, Plan, Project, ProjectProgress
from .risks import Risk
from .sequences import Sequence

__all__ = [
    "Agreement",
    "Attendance",
    "FollowUpPeriod",
    "Indicator",
    "Objective",
    "Plan",
    "Project",
    "ProjectProgress",
    "Risk",
    "Sequence",
    "Session",
]
