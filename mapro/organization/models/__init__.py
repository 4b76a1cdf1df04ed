from .people import Person
from .roles import Role, RoleAssignment
from .units import ExternalOrganization, Unit

__all__ = ["ExternalOrganization", "Person", "Role", "RoleAssignment", "Unit"]
