"""Rows of the URL permission matrix for the incident matrix (see core/tests/access_matrix)."""

from __future__ import annotations

from mapro.core.tests.access_matrix import Row
from mapro.incidents.access import REGISTER_ROLES, SECURITY_HANDLERS
from mapro.incidents.testing import security_incident_kwargs, visible_incident_kwargs

VIEW = frozenset(REGISTER_ROLES)
HANDLE = frozenset(SECURITY_HANDLERS)
NEW = {
    "kind": "seguridad",
    "title": "Acceso no autorizado",
    "description": "Inicio de sesión desde una IP extranjera.",
    "origin": "ogtie",
    "detection_source": "alerta_seguridad",
    "detected_at": "2026-01-05T10:00:00-05:00",
}

ROWS: dict[str, Row] = {
    "incidents:incident_list": Row("html", VIEW),
    "incidents:incident_export": Row("html", VIEW),
    "incidents:incident_detail": Row("html", VIEW, kwargs=visible_incident_kwargs),
    "incidents:incident_timeline": Row("html", VIEW, kwargs=visible_incident_kwargs),
    # Handling: the security handlers on a security incident (the infrastructure side and the
    # out-of-scope cases are in mapro/incidents/tests).
    "incidents:incident_new": Row(
        "html", HANDLE | {"coord-infraestructura", "resp-infraestructura"}
    ),
    "incidents:incident_add_action": Row(
        "html",
        HANDLE,
        method="post",
        data={"phase": "contencion", "description": "Equipo aislado de la red."},
        kwargs=security_incident_kwargs,
        ok=(302,),
    ),
    "incidents:incident_classify": Row(
        "html",
        HANDLE,
        method="post",
        data={"category": "codigo-malicioso", "severity": "alta", "priority": "alta"},
        kwargs=security_incident_kwargs,
        ok=(302,),
    ),
    "incidents:incident_close": Row(
        "html",
        HANDLE,
        method="post",
        data={"resolution": "Equipo reinstalado.", "lessons_learned": "Bloquear macros."},
        kwargs=security_incident_kwargs,
        ok=(302,),
    ),
    "incidents-api:incident-list": Row("api", VIEW),
    "incidents-api:incident-detail": Row("api", VIEW, kwargs=visible_incident_kwargs),
    "incidents-api:incident-add-action": Row(
        "api",
        HANDLE,
        method="post",
        data={"phase": "analisis", "description": "Correlación de eventos del EDR."},
        kwargs=security_incident_kwargs,
    ),
    "incidents-api:incident-classify": Row(
        "api",
        HANDLE,
        method="post",
        data={"category": "codigo-malicioso", "severity": "alta", "priority": "media"},
        kwargs=security_incident_kwargs,
    ),
    "incidents-api:incident-close": Row(
        "api",
        HANDLE,
        method="post",
        data={"resolution": "Equipo reinstalado.", "lessons_learned": "Bloquear macros."},
        kwargs=security_incident_kwargs,
    ),
}
