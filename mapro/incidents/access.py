"""Who may see and handle incidents, on top of ``mapro.organization.permissions``.

- Security incidents (S04.04.00.03) are handled by the cybersecurity team and the security
  officers: ``coord-ciberseguridad``, ``tecnico-especialista``, ``esp-seguridad-info``,
  ``oficial-seguridad-digital``, and ``jefe-ogtie``. Only they see them.
- Infrastructure incidents (S04.03.01.05) are handled by ``resp-infraestructura``,
  ``coord-infraestructura`` and ``jefe-ogtie``; ``resp-soporte`` (the contractor's visits) and
  the security roles (the matrix is the SGSI's) see them too.
- ``director-uo`` sees the incidents reported by their unit (and the units under it).

Handling means opening, recording phase actions, classifying and closing; a role that may see
an incident but not handle it gets 403, anyone else 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mapro.organization.permissions import has_role, unit_scope_q

from .choices import Kind

SECURITY_HANDLERS = frozenset(
    {
        "jefe-ogtie",
        "coord-ciberseguridad",
        "oficial-seguridad-digital",
        "esp-seguridad-info",
        "tecnico-especialista",
    }
)
INFRASTRUCTURE_HANDLERS = frozenset({"jefe-ogtie", "coord-infraestructura", "resp-infraestructura"})
HANDLERS = {Kind.SEGURIDAD: SECURITY_HANDLERS, Kind.INFRAESTRUCTURA: INFRASTRUCTURE_HANDLERS}
VIEWERS = {
    Kind.SEGURIDAD: SECURITY_HANDLERS,
    Kind.INFRAESTRUCTURA: INFRASTRUCTURE_HANDLERS
    | {"resp-soporte", "coord-ciberseguridad", "oficial-seguridad-digital", "esp-seguridad-info"},
}
UNIT_VIEWER_ROLES = frozenset({"director-uo"})
#: Everyone who may open the register (the menu shows it to them).
REGISTER_ROLES = frozenset().union(*VIEWERS.values(), UNIT_VIEWER_ROLES)


def can_handle_kind(user: Any, kind: str) -> bool:
    """May open and handle incidents of ``kind`` (``None`` is the system)."""
    return user is None or has_role(user, HANDLERS.get(Kind(kind), frozenset()))


def can_open_register(user: Any) -> bool:
    return has_role(user, REGISTER_ROLES)


def visibility_q(user: Any) -> Q | None:
    """The incidents ``user`` may see, as a filter (None: all of them)."""
    kinds = [kind for kind, roles in VIEWERS.items() if has_role(user, roles)]
    if len(kinds) == len(VIEWERS):
        return None
    q = Q(kind__in=kinds) if kinds else Q(pk__in=[])
    unit_q = unit_scope_q(user, UNIT_VIEWER_ROLES, field="reporting_unit")
    if unit_q is None:
        return None
    return q | unit_q
