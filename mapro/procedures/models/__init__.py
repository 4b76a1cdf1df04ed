from .definitions import Procedure, ProcedureVersion
from .effects import EffectOutcome, EffectOutcomeStatus
from .runtime import (
    Instance,
    InstanceStatus,
    TaskRecord,
    TaskRecordKind,
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
    "TaskRecordKind",
    "WorkItem",
    "WorkItemRole",
    "WorkItemState",
]
