from .definitions import Procedure, ProcedureVersion
from .runtime import (
    Instance,
    InstanceStatus,
    TaskRecord,
    WorkItem,
    WorkItemRole,
    WorkItemState,
)

__all__ = [
    "Instance",
    "InstanceStatus",
    "Procedure",
    "ProcedureVersion",
    "TaskRecord",
    "WorkItem",
    "WorkItemRole",
    "WorkItemState",
]
