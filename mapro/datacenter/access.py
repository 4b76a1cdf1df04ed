"""Who may do what with the data-center logbook (docs/registers/datacenter.md, "Roles").

- ``ENTRY_ROLES`` record entries and exits in the bitácora (Formato N° 1): the manual gives the
  bitácora to the infrastructure coordinator (activities 3 and 5) and to the person in charge
  of technological infrastructure (14 and 16).
- ``MANAGER_ROLES`` register visits, their people, the contractor documents and what the DIPEC
  reviewed or taught (activities 7–13 are the coordinator's).
- ``VIEWER_ROLES`` read the whole register: the above, the Jefe(a) de la OGTIE (owner of the
  procedure, escorts high-level visits) and the information-security specialist (SGSI reviews
  of physical access).
- ``UNIT_VIEWER_ROLES``: the director of a unit reads the visits made for their unit's
  equipment (start "mantenimiento-uo"), within the unit scope of their grant.

Nobody else (the help desk operator included) sees the register.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mapro.organization.permissions import has_role, unit_scope_q

ENTRY_ROLES = frozenset({"coord-infraestructura", "resp-infraestructura"})
MANAGER_ROLES = frozenset({"coord-infraestructura"})
VIEWER_ROLES = ENTRY_ROLES | frozenset({"jefe-ogtie", "esp-seguridad-info"})
UNIT_VIEWER_ROLES = frozenset({"director-uo"})
ALL_READERS = VIEWER_ROLES | UNIT_VIEWER_ROLES


def can_read(user: Any) -> bool:
    """Whether the user may open the register's pages at all (scope is applied per row)."""
    return has_role(user, ALL_READERS)


def visit_scope_q(user: Any, prefix: str = "") -> Q | None:
    """The visits the user may see as a Q on ``<prefix>unit`` (None: all of them)."""
    if has_role(user, VIEWER_ROLES):
        return None
    return unit_scope_q(user, UNIT_VIEWER_ROLES, field=f"{prefix}unit")
