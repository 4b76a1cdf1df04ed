"""Actions of the equipment inventory (``do_*``), by register."""

from .equipment import (
    do_change_equipment_state,
    do_register_equipment,
    do_update_equipment,
)
from .maintenance import (
    do_link_maintenance_document,
    do_record_maintenance,
    do_record_maintenance_outcome,
    do_record_warranty,
)
from .platforms import (
    do_assign_platform_responsibles,
    do_create_platform_profile,
    do_grant_platform_access,
    do_record_platform_activity,
    do_revoke_platform_access,
)

__all__ = [
    "do_assign_platform_responsibles",
    "do_change_equipment_state",
    "do_create_platform_profile",
    "do_grant_platform_access",
    "do_link_maintenance_document",
    "do_record_maintenance",
    "do_record_maintenance_outcome",
    "do_record_platform_activity",
    "do_record_warranty",
    "do_register_equipment",
    "do_revoke_platform_access",
    "do_update_equipment",
]
