"""Who may read and change the catalogue of information systems and its registers.

From the roles the manual puts in charge (S04.02.00.01/02/03):

- the catalogue and releases are kept by the coordinator of the innovation team
  (``coord-innovacion``: "Actualizar inventario de sistemas de información"); the analysts
  of the team register releases;
- quality reports are uploaded by the programmer who reviews the code (activity 15 / 7) and the
  quality analyst; the gate is configured by the coordinator;
- the OGTIE roles of the life cycle read everything (jefe, coordinators of innovation,
  infrastructure and IT governance, analysts, QA, infrastructure, DBA);
- a Director(a) de unidad reads the systems of their unit (and its releases): the system owner.

Anything else is 403; a system outside a director's unit is 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from mapro.core.exceptions import Forbidden, NotFound
from mapro.organization.permissions import check_role, has_role, unit_scope_q

CATALOG_MANAGERS = ("coord-innovacion",)
RELEASE_MANAGERS = ("coord-innovacion", "resp-analisis-sistemas", "analista-programador")
REPORT_UPLOADERS = ("analista-programador", "resp-calidad", "coord-innovacion")
GATE_MANAGERS = ("coord-innovacion",)
READERS = (
    "jefe-ogtie",
    "coord-innovacion",
    "coord-infraestructura",
    "coord-gobierno-ti",
    "resp-analisis-sistemas",
    "analista-programador",
    "resp-calidad",
    "resp-infraestructura",
    "resp-bd",
)
UNIT_READERS = ("director-uo",)
SYSTEM_READERS = (*READERS, *UNIT_READERS)


def systems_scope(qs: QuerySet[Any], user: Any, *, field: str = "owner_unit") -> QuerySet[Any]:
    """Rows of ``qs`` the user may read: all for an OGTIE reader, their unit's for a director."""
    if has_role(user, READERS):
        return qs
    if has_role(user, UNIT_READERS):
        q = unit_scope_q(user, UNIT_READERS, field=field)
        return qs if q is None else qs.filter(q)
    raise Forbidden("Su rol no permite consultar el catálogo de sistemas.")


def ogtie_scope(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """The OGTIE-only registers (matrix of changes, quality evidence, gates)."""
    check_role(user, READERS)
    return qs


def get_or_404(qs: QuerySet[Any], pk: Any) -> Model:
    try:
        return qs.get(pk=pk)  # type: ignore[no-any-return]
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def check_manager(actor: Any, roles: tuple[str, ...], *, check: bool = True) -> None:
    """403 unless ``actor`` holds one of ``roles`` (skipped for procedure steps: the engine
    already checked the activity's role)."""
    if check:
        check_role(actor, roles)
