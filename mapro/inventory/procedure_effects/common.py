"""What the handlers of S04.03.04.03 and S04.04.00.01 share: register names, lookups."""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall
from mapro.procedures.models import EffectOutcome

from ..actions.common import text
from ..models import Equipment

MAINTENANCE_PLAN = "Cronograma de mantenimiento de equipos de cómputo e impresoras"
MAINTENANCE_REGISTER = "Registro de mantenimientos de equipos de cómputo e impresoras"
COMPUTING_INVENTORY = "Inventario de equipos de cómputo e impresoras"
PLATFORM_INVENTORY = "Inventario de plataformas de seguridad informática"
PLATFORM_ACTIVITY = "Registro de actividades de plataformas de seguridad informática"


def step_document(call: EffectCall, n: int | None = None) -> tuple[int | None, str]:
    """(id, number) of the document issued by this step (or the latest completion of activity
    ``n``): the ``{document: …}`` effect, earlier in ficha order, left it in its outcome."""
    record = call.record if n is None else call.step_record(n)
    if record is None:
        return None, ""
    outcome = (
        EffectOutcome.objects.filter(record=record, kind="document").order_by("position").first()
    )
    if outcome is None:
        return None, ""
    detail = outcome.detail or {}
    number = str(detail.get("document") or "")
    return detail.get("document_id"), "" if number.startswith("Proyecto") else number


def ticket_number(call: EffectCall) -> str:
    ticket = call.ticket
    return str(getattr(ticket, "number", "") or "")


def equipment_rows(
    rows: Any, field: str, *, code_key: str = "codigo"
) -> list[tuple[int, Equipment, dict[str, Any]]]:
    """The equipment named by each row of a list field, in order; every unknown code is a
    field error on ``field`` naming its row (all at once, nothing written)."""
    errors: list[str] = []
    found: list[tuple[int, Equipment, dict[str, Any]]] = []
    for i, row in enumerate(rows or [], start=1):
        code = text((row or {}).get(code_key))
        equipment = Equipment.objects.filter(code__iexact=code).first() if code else None
        if equipment is None:
            errors.append(f"Fila {i}: no hay en el inventario un equipo con el código «{code}».")
            continue
        found.append((i, equipment, row))
    if errors:
        raise InvalidInput(errors={field: errors})
    return found
