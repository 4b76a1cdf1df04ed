"""Who may read and change the equipment inventory and its registers (docs/registers/inventory.md).

Least privilege, by the roles the manual puts in charge of each kind of equipment:

- computers, laptops and printers (S04.03.04.03): the Responsable de soporte técnico and the
  infrastructure coordinator;
- servers (S04.03.01.04, S04.03.02.01): the Responsable de infraestructura tecnológica and the
  infrastructure coordinator;
- switches, routers and the telephone exchange (S04.03.03.01): the Profesional técnico en
  administración de redes and the infrastructure coordinator;
- security platforms (S04.04.00.01): the Técnico informático especialista and the
  cybersecurity coordinator.

The Jefe(a) de la OGTIE, the DBA, the Profesional para la OGTIE and the help desk read the whole
inventory; a Director(a) de unidad reads the equipment of their unit (and units under it), 404
for the rest. Everyone else: 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mapro.core.exceptions import Forbidden, NotFound
from mapro.organization.permissions import check_role, has_role, unit_scope_q

from .choices import EquipmentKind

UNIT_READERS = ("director-uo",)

MANAGERS_BY_KIND: dict[str, tuple[str, ...]] = {
    EquipmentKind.SERVIDOR: ("resp-infraestructura", "coord-infraestructura"),
    EquipmentKind.SWITCH: ("prof-redes", "coord-infraestructura"),
    EquipmentKind.ROUTER: ("prof-redes", "coord-infraestructura"),
    EquipmentKind.CENTRAL_TELEFONICA: ("prof-redes", "coord-infraestructura"),
    EquipmentKind.COMPUTADORA: ("resp-soporte", "coord-infraestructura"),
    EquipmentKind.LAPTOP: ("resp-soporte", "coord-infraestructura"),
    EquipmentKind.IMPRESORA: ("resp-soporte", "coord-infraestructura"),
    EquipmentKind.PLATAFORMA_SEGURIDAD: ("tecnico-especialista", "coord-ciberseguridad"),
}
#: Every role that manages some kind of equipment (may open the import and the forms).
INVENTORY_MANAGERS: tuple[str, ...] = tuple(
    sorted({role for roles in MANAGERS_BY_KIND.values() for role in roles})
)
INVENTORY_READERS: tuple[str, ...] = (
    *INVENTORY_MANAGERS,
    "jefe-ogtie",
    "resp-bd",
    "profesional-ogtie",
    "operador-mesa",
)
ALL_READERS: tuple[str, ...] = (*INVENTORY_READERS, *UNIT_READERS)


def managers_of(kind: str) -> tuple[str, ...]:
    return MANAGERS_BY_KIND.get(kind, ("coord-infraestructura",))


def can_manage(user: Any, kind: str) -> bool:
    return has_role(user, managers_of(kind))


def check_manager(actor: Any, kind: str, *, check: bool = True) -> None:
    """403 unless ``actor`` manages equipment of ``kind`` (skipped for procedure steps, whose
    role the engine already checked: ``check=False``)."""
    if check:
        check_role(actor, managers_of(kind))


def scoped(qs: QuerySet[Any], user: Any, *, unit_field: str = "unit") -> QuerySet[Any]:
    """``qs`` limited to what ``user`` may read; 403 without a reading role."""
    if has_role(user, INVENTORY_READERS):
        return qs
    if has_role(user, UNIT_READERS):
        q = unit_scope_q(user, UNIT_READERS, field=unit_field)
        return qs if q is None else qs.filter(q)
    raise Forbidden("Su rol no permite consultar el inventario de equipos.")


def get_visible(qs: QuerySet[Any], pk: Any, user: Any, *, unit_field: str = "unit") -> Any:
    """One row the user may read: 403 without a reading role, 404 out of scope or missing."""
    try:
        return scoped(qs, user, unit_field=unit_field).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
