from .equipment import Equipment
from .maintenance import Maintenance
from .platforms import PlatformAccount, PlatformActivity, PlatformProfile

__all__ = ["Equipment", "Maintenance", "PlatformAccount", "PlatformActivity", "PlatformProfile"]
