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
