"""Every state change of the inventories and registers (see each module's docstring)."""

from .blocklist import do_add_block, do_deactivate_block, normalize_block_value
from .certificates import (
    do_assign_cert_device,
    do_give_return_conformity,
    do_register_cert_device,
    do_retire_cert_device,
    do_return_cert_device,
)
from .phones import (
    do_assign_phone,
    do_configure_phone,
    do_record_acta_asignacion,
    do_register_phone,
    do_retire_phone,
    do_return_phone,
)
from .restores import do_record_restore_outcome, do_record_restore_request

__all__ = [
    "do_add_block",
    "do_assign_cert_device",
    "do_assign_phone",
    "do_configure_phone",
    "do_deactivate_block",
    "do_give_return_conformity",
    "do_record_acta_asignacion",
    "do_record_restore_outcome",
    "do_record_restore_request",
    "do_register_cert_device",
    "do_register_phone",
    "do_retire_cert_device",
    "do_retire_phone",
    "do_return_cert_device",
    "do_return_phone",
    "normalize_block_value",
]
