"""Who may see and keep the digital-government registers, on top of the permission layer.

- PGD and portfolio: the OGTIE's digital-government staff and coordinators and the CGD see
  it; the Jefe(a) de la OGTIE and the Responsable de asistencia y mejora continua de gobierno
  digital keep it by hand (the procedures write it from their steps).
- CGD sessions: the CGD's members, its Secretario técnico (Jefe(a) de la OGTIE) and the
  digital-government staff see them; members and the Secretario técnico record them.
- Risk matrix SGSI-FOR-003: the ISMS's people and the teams that identify risks see it; the
  security roles, the Jefe(a) and the digital-government responsible keep it.
"""

from __future__ import annotations

from typing import Any

from mapro.organization.permissions import has_role

COORDINATORS = frozenset(
    {
        "coord-innovacion",
        "coord-infraestructura",
        "coord-ciberseguridad",
        "coord-estadistica",
        "coord-gobierno-ti",
    }
)
PLAN_EDITORS = frozenset({"jefe-ogtie", "resp-mejora-gd"})
PLAN_VIEWERS = PLAN_EDITORS | COORDINATORS | {"esp-gobierno-digital", "cgd"}
SESSION_EDITORS = frozenset({"jefe-ogtie", "cgd"})
SESSION_VIEWERS = SESSION_EDITORS | {"resp-mejora-gd", "esp-gobierno-digital"}
RISK_EDITORS = frozenset(
    {
        "jefe-ogtie",
        "resp-mejora-gd",
        "esp-seguridad-info",
        "oficial-seguridad-digital",
        "coord-ciberseguridad",
    }
)
RISK_VIEWERS = RISK_EDITORS | {"coord-infraestructura", "resp-infraestructura"}


def can_view_plans(user: Any) -> bool:
    return has_role(user, PLAN_VIEWERS)


def can_edit_plans(user: Any) -> bool:
    return user is None or has_role(user, PLAN_EDITORS)


def can_view_sessions(user: Any) -> bool:
    return has_role(user, SESSION_VIEWERS)


def can_edit_sessions(user: Any) -> bool:
    return user is None or has_role(user, SESSION_EDITORS)


def can_view_risks(user: Any) -> bool:
    return has_role(user, RISK_VIEWERS)


def can_edit_risks(user: Any) -> bool:
    return user is None or has_role(user, RISK_EDITORS)
