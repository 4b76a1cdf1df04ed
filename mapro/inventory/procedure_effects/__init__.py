"""The procedure steps that write the inventory and its registers.

Registered in ``InventoryConfig.ready`` (``mapro.procedures.effects``); each handler runs in
the transaction of the step, so a field error (InvalidInput) rolls the step back and the task
stays open. The engine already checked the activity's role: the actions run with
``check=False`` and the real actor. ``maintenance`` handles S04.03.04.03; ``platforms``
S04.04.00.01.
"""

from .common import (
    COMPUTING_INVENTORY,
    MAINTENANCE_PLAN,
    MAINTENANCE_REGISTER,
    PLATFORM_ACTIVITY,
    PLATFORM_INVENTORY,
)

__all__ = [
    "COMPUTING_INVENTORY",
    "MAINTENANCE_PLAN",
    "MAINTENANCE_REGISTER",
    "PLATFORM_ACTIVITY",
    "PLATFORM_INVENTORY",
]
