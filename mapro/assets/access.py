"""Who may read and change each inventory and register (docs/registers/assets.md).

Least privilege, from the roles the manual puts in charge of each procedure:

- Phones (S04.03.03.02): the Profesional técnico en administración de redes (``prof-redes``)
  and the infrastructure coordinator manage them; the Jefe(a) reads.
- Certificate devices (S04.03.04.01): the Responsable de soporte tecnológico manages them; the
  Jefe(a) reads and gives the conformity to a return.
- Restore log (S04.03.02.02): the help desk records requests (and returned ones), the
  Profesional para la OGTIE records requests and outcomes; the infrastructure coordinator, the
  DBA and the Jefe(a) read; the informe semestral is for the Profesional, the coordinator
  and the Jefe(a).
- Block list (S04.04.00.02): the Técnico informático especialista and the cybersecurity
  coordinator manage it; the Jefe(a), the information-security specialist and the oficial de
  seguridad digital read it.

A Director(a) de unidad (``director-uo``) reads the phones and certificate devices held in
their unit and the restore requests of their unit (and units under it): anything else is 404
for them. Everything else is 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from mapro.core.exceptions import Forbidden, NotFound
from mapro.organization.permissions import check_role, has_role, unit_scope_q

UNIT_READERS = ("director-uo",)

PHONE_MANAGERS = ("prof-redes", "coord-infraestructura")
PHONE_READERS = (*PHONE_MANAGERS, "jefe-ogtie")

CERT_MANAGERS = ("resp-soporte",)
CERT_CONFORMITY = ("jefe-ogtie",)
CERT_READERS = (*CERT_MANAGERS, "jefe-ogtie")

RESTORE_RECORDERS = ("operador-mesa", "profesional-ogtie")
RESTORE_EXECUTORS = ("profesional-ogtie",)
RESTORE_READERS = (*RESTORE_RECORDERS, "coord-infraestructura", "resp-bd", "jefe-ogtie")
RESTORE_REPORT_READERS = ("profesional-ogtie", "coord-infraestructura", "jefe-ogtie")

BLOCK_MANAGERS = ("tecnico-especialista", "coord-ciberseguridad")
BLOCK_READERS = (
    *BLOCK_MANAGERS,
    "esp-seguridad-info",
    "oficial-seguridad-digital",
    "jefe-ogtie",
)


def all_readers(readers: tuple[str, ...], *, unit_scoped: bool) -> tuple[str, ...]:
    """Every role that may open a register's pages (the global readers, plus directors)."""
    return (*readers, *UNIT_READERS) if unit_scoped else readers


def scoped(
    qs: QuerySet[Any], user: Any, readers: tuple[str, ...], *, unit_field: str | None
) -> QuerySet[Any]:
    """``qs`` limited to what ``user`` may read: everything for a global reader, the rows of
    their units for a director (``unit_field``), 403 for anyone else."""
    if has_role(user, readers):
        return qs
    if unit_field is not None and has_role(user, UNIT_READERS):
        q = unit_scope_q(user, UNIT_READERS, field=unit_field)
        return qs if q is None else qs.filter(q)
    raise Forbidden("Su rol no permite consultar este registro.")


def get_visible(
    qs: QuerySet[Any], pk: Any, user: Any, readers: tuple[str, ...], *, unit_field: str | None
) -> Model:
    """One row of ``qs`` the user may read: 403 without a reading role, 404 out of scope."""
    try:
        return scoped(qs, user, readers, unit_field=unit_field).get(pk=pk)  # type: ignore[no-any-return]
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def check_manager(actor: Any, roles: tuple[str, ...], *, check: bool = True) -> None:
    """403 unless ``actor`` holds one of ``roles`` (skipped for procedure steps, whose role
    the engine has already checked: ``check=False``)."""
    if check:
        check_role(actor, roles)


__all__ = [
    "BLOCK_MANAGERS",
    "BLOCK_READERS",
    "CERT_CONFORMITY",
    "CERT_MANAGERS",
    "CERT_READERS",
    "PHONE_MANAGERS",
    "PHONE_READERS",
    "RESTORE_EXECUTORS",
    "RESTORE_READERS",
    "RESTORE_RECORDERS",
    "RESTORE_REPORT_READERS",
    "UNIT_READERS",
    "all_readers",
    "check_manager",
    "get_visible",
    "scoped",
]
