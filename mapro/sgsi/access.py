"""Who reads and keeps the SGSI registers (docs/registers/sgsi.md, "Acceso").

- SGSI documents: the SGSI specialist, the digital security officer, the Jefe(a) and the team
  coordinators read the register; the specialist and the coordinators register documents and
  new versions; the specialist, the officer and the Jefe(a) write observations; only the
  Jefe(a) approves a version (S04.01.00.03 activity 12: "procede a aprobarlo … mediante
  Memorándum interno").
- Asset inventory (SGSI-FOR-002) and its change log: the same readers plus the infrastructure
  and support staff; the SGSI specialist and the infrastructure team keep it.

A role that reads but may not act gets 403 on the action; anyone else 403 on the lists (the
registers are OGTIE's, not scoped by unit).
"""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import Forbidden
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
DOC_EDITORS = COORDINATORS | {"esp-seguridad-info"}
DOC_OBSERVERS = frozenset({"esp-seguridad-info", "oficial-seguridad-digital", "jefe-ogtie"})
DOC_APPROVERS = frozenset({"jefe-ogtie"})
DOC_READERS = DOC_EDITORS | DOC_OBSERVERS | DOC_APPROVERS

ASSET_EDITORS = frozenset(
    {
        "esp-seguridad-info",
        "coord-infraestructura",
        "resp-infraestructura",
        "prof-redes",
        "resp-soporte",
    }
)
ASSET_READERS = DOC_READERS | ASSET_EDITORS | {"tecnico-especialista"}


def check(user: Any, roles: frozenset[str], message: str, *, engine_checked: bool = False) -> None:
    """``Forbidden`` unless ``user`` holds one of ``roles`` (the engine already checked a step)."""
    if engine_checked:
        return
    if not has_role(user, roles):
        raise Forbidden(message)


def can(user: Any, roles: frozenset[str]) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, roles)
