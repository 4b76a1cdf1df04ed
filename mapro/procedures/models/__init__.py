from .definitions import Procedure, ProcedureVersion
from .effects import EffectOutcome, EffectOutcomeStatus
from .runtime import (
    Instance,
    InstanceStatus,
    TaskRecord,
    WorkItem,
    WorkItemRole,
    WorkItemState,
)

__all__ = [
    "EffectOutcome",
    "EffectOutcomeStatus",
    "Instance",
    "InstanceStatus",
    "Procedure",
    "ProcedureVersion",
    "TaskRecord",
    "WorkItem",
    "WorkItemRole",
    "WorkItemState",
]
