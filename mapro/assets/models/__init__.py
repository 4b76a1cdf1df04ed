"""Models of equipos, dispositivos y restauraciones."""

from .blocklist import BlockEntry
from .certificates import CertAssignment, CertDevice
from .phones import PhoneAssignment, PhoneEquipment
from .restores import RestoreRequest

__all__ = [
    "BlockEntry",
    "CertAssignment",
    "CertDevice",
    "PhoneAssignment",
    "PhoneEquipment",
    "RestoreRequest",
]
