"""Test helpers of the HR integration: DGRRHH lists and reconciliations made through the
actions, as the product makes them."""

from __future__ import annotations

import io
from typing import Any

from mapro.core.testing import make_user

from .actions import do_upload_reconciliation
from .models import Reconciliation

HEADER = "dni;nombres;apellidos;unidad;movimiento;fecha"


def csv_file(*rows: str, header: str = HEADER, name: str = "altas-bajas.csv") -> io.BytesIO:
    """A CSV upload: the header and ``rows`` (``;``-separated lines)."""
    data = io.BytesIO("\n".join([header, *rows]).encode("utf-8"))
    data.name = name
    return data


def make_reconciliation(
    *rows: str, uploader: Any = None, period: str = "2026-II"
) -> Reconciliation:
    """A reconciliation of ``rows`` (default: one alta of someone without accounts, so there
    is one pending difference)."""
    rows = rows or ("87654321;Rosa;Quispe Mamani;DIGEP;alta;2026-07-01",)
    actor = uploader or make_user("coord-infraestructura")
    return do_upload_reconciliation(csv_file(*rows), actor=actor, period=period)


def reconciliation_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": make_reconciliation().pk}


def pending_difference_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": make_reconciliation().differences.get().pk}


def leaver_event_kwargs(user: Any) -> dict[str, Any]:
    """A leaver event received through the signed webhook (the ficha published, a person)."""
    return {"pk": receive_alert().pk}


def receive_alert(person: Any = None, *, event_id: str | None = None, kind: str = "cuentas") -> Any:
    """Deliver a signed leaver alert through the action, as the webhook does; the event."""
    import json
    import time

    from django.conf import settings
    from django.test import override_settings

    from mapro.iam.testing import make_person
    from mapro.procedures.models import Procedure
    from mapro.procedures.testing import publish_all

    from .actions import do_receive_leaver_alert
    from .signing import sign

    if not Procedure.objects.filter(code="S04.03.01.02", current_version__isnull=False).exists():
        publish_all()
    person = person or make_person()
    body = json.dumps(
        {
            "event_id": event_id or f"RRHH-{person.dni}-{time.time_ns()}",
            "dni": person.dni,
            "date": "2026-08-31",
            "kind": kind,
        }
    ).encode()
    secret = settings.HR_WEBHOOK_SECRET or "secreto-de-prueba"
    stamp = int(time.time())
    with override_settings(HR_WEBHOOK_SECRET=secret):
        receipt = do_receive_leaver_alert(
            body, timestamp=str(stamp), signature=sign(body, stamp, secret)
        )
    return receipt.event
