"""Helpers for tests (and the URL permission matrix): incidents made through the real actions
by the system (``actor=None``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from mapro.core.testing import ensure_unit
from mapro.organization.permissions import has_role

from . import access, actions
from .choices import DetectionSource, Kind, Origin
from .models import Incident


def make_incident(
    kind: str = Kind.SEGURIDAD,
    *,
    unit: Any = None,
    detected_at: datetime.datetime | None = None,
    **kwargs: Any,
) -> Incident:
    """An open incident reported by ``unit`` (default a unit "DGA" under no parent)."""
    values: dict[str, Any] = {
        "title": "Alerta de código malicioso en una estación",
        "description": "El antivirus detectó un troyano en la PC de la secretaría.",
        "origin": Origin.UNIDAD,
        "detection_source": DetectionSource.REPORTE_USUARIO,
        "detected_at": detected_at or timezone.now() - datetime.timedelta(hours=3),
        "reporting_unit": unit or ensure_unit("DGA", "Dirección General de Administración"),
    }
    values.update(kwargs)
    return actions.do_open_incident(actor=None, kind=kind, **values)


def _person_unit(user: Any) -> Any:
    person = getattr(user, "person", None) if user is not None else None
    return person.unit if person is not None else None


def visible_incident_kwargs(user: Any) -> dict[str, Any]:
    """URL kwargs of an incident ``user`` may see: of a kind they see, reported by their unit."""
    kind = Kind.SEGURIDAD
    if user is not None and not has_role(user, access.VIEWERS[Kind.SEGURIDAD]):
        kind = Kind.INFRAESTRUCTURA
    return {"code": make_incident(kind, unit=_person_unit(user)).code}


def security_incident_kwargs(user: Any) -> dict[str, Any]:
    return {"code": make_incident(Kind.SEGURIDAD).code}
