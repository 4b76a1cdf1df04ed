"""Who does what with the run records.

- ``RECORD_ROLES`` register runs by hand and their corrective actions: the Profesional para la
  OGTIE (backups and logs, S04.03.02.01 and S04.03.01.04), the Profesional técnico de redes
  (configuration backups, S04.03.03.01), the infrastructure and database responsibles and the
  coordinator of infrastructure.
- ``READ_ROLES`` read the register: those, the Jefe(a) de la OGTIE and the specialist of
  information security.
- ``TOKEN_ROLES`` issue and revoke the tokens of backup servers and scripts: the coordinator of
  infrastructure and the Jefe(a) de la OGTIE.
"""

from __future__ import annotations

from typing import Any

from mapro.organization.permissions import has_role

RECORD_ROLES = frozenset(
    {
        "profesional-ogtie",
        "prof-redes",
        "resp-infraestructura",
        "resp-bd",
        "coord-infraestructura",
    }
)
READ_ROLES = RECORD_ROLES | frozenset({"jefe-ogtie", "esp-seguridad-info"})
TOKEN_ROLES = frozenset({"coord-infraestructura", "jefe-ogtie"})


def _person(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_read(user: Any) -> bool:
    return _person(user) and bool(user.is_superuser or has_role(user, READ_ROLES))


def can_record(user: Any) -> bool:
    return _person(user) and bool(user.is_superuser or has_role(user, RECORD_ROLES))


def can_manage_tokens(user: Any) -> bool:
    return _person(user) and bool(user.is_superuser or has_role(user, TOKEN_ROLES))
