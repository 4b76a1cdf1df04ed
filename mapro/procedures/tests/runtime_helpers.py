"""Shared data for the runtime and API tests: a synthetic ficha, publishing, people.

The ficha ``T.01`` exercises every construct the runtime must handle: two ways to start, a
requester ("U.O.", personal) step, a decision, a parallel split with its join, and a
unit-scoped (director-uo) closing step.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from mapro.core.testing import ensure_unit, make_user, seed_once
from mapro.organization.models import Unit
from mapro.procedures.ficha.compiler import compile_bpmn
from mapro.procedures.models import Procedure, ProcedureVersion

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (row-level concurrency)"
)

FICHA: dict[str, Any] = {
    "code": "T.01",
    "name": "Procedimiento de prueba",
    "version": 1,
    "process": {"level1": "S04.01", "level2": None},
    "owner": "Jefe(a) de la OGTIE",
    "objective": "Probar el motor.",
    "starts": [
        {"key": "solicitud", "label": "Solicitud del personal", "activity": 1},
        {"key": "oficio", "label": "Oficio de una unidad", "activity": 2},
    ],
    "activities": [
        {
            "n": 1,
            "name": "Registrar solicitud",
            "unit": "U.O.",
            "roles": ["personal"],
            "form": {
                "type": "object",
                "required": ["detalle"],
                "properties": {
                    "detalle": {"type": "string", "title": "Detalle", "maxLength": 200},
                    "fecha": {"type": "string", "title": "Fecha", "format": "date"},
                },
            },
            "next": 2,
        },
        {
            "n": 2,
            "name": "Revisar la solicitud",
            "unit": "OGTIE",
            "roles": ["operador-mesa"],
            "decision": {
                "field": "procede",
                "question": "¿Procede?",
                "branches": [
                    {"const": "si", "title": "Sí", "next": 3},
                    {"const": "no", "title": "No", "next": "end"},
                ],
            },
        },
        {
            "n": 3,
            "name": "Asignar responsables",
            "unit": "OGTIE",
            "roles": ["jefe-ogtie"],
            "parallel": {"branches": [4, 5], "join": 6},
        },
        {
            "n": 4,
            "name": "Atender rama A",
            "unit": "OGTIE",
            "roles": ["coord-innovacion"],
            "effects": [{"document": "Informe"}],
            "next": 6,
        },
        {
            "n": 5,
            "name": "Atender rama B",
            "unit": "OGTIE",
            "roles": ["coord-infraestructura"],
            "next": 6,
        },
        {
            "n": 6,
            "name": "Dar conformidad",
            "unit": "U.O.",
            "roles": ["director-uo"],
            "next": "end",
        },
    ],
}

#: A one-activity loop: "repetir = si" goes back to the same activity.
LOOP_FICHA: dict[str, Any] = {
    "code": "T.02",
    "name": "Ciclo de prueba",
    "version": 1,
    "process": {"level1": "S04.01", "level2": None},
    "owner": "Jefe(a) de la OGTIE",
    "objective": "Probar ciclos.",
    "starts": [{"key": "inicio", "label": "Inicio", "activity": 1}],
    "activities": [
        {
            "n": 1,
            "name": "Revisar otra vez",
            "unit": "OGTIE",
            "roles": ["operador-mesa"],
            "decision": {
                "field": "repetir",
                "question": "¿Repetir?",
                "branches": [
                    {"const": "si", "title": "Sí", "next": 1},
                    {"const": "no", "title": "No", "next": "end"},
                ],
            },
        }
    ],
}


def publish(ficha: dict[str, Any], bpmn_xml: str | None = None) -> ProcedureVersion:
    """Publish ``ficha`` (with its compiled BPMN unless ``bpmn_xml`` is given) as current."""
    ficha = copy.deepcopy(ficha)
    bpmn = bpmn_xml if bpmn_xml is not None else compile_bpmn(ficha)
    digest = hashlib.sha256((json.dumps(ficha, sort_keys=True) + bpmn).encode()).hexdigest()
    procedure, _ = Procedure.objects.get_or_create(
        code=ficha["code"],
        defaults={
            "name": ficha["name"],
            "level1": ficha["process"]["level1"],
            "level2": ficha["process"].get("level2") or "",
        },
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        content_hash=digest,
        manual_version=str(ficha["version"]),
        ficha=ficha,
        bpmn_xml=bpmn,
    )
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return version


def fresh(user: Any) -> Any:
    """The same user as a new object (grants are cached per user object)."""
    return get_user_model().objects.get(pk=user.pk)


class People:
    """The cast: a requesting unit (DIGEP) under OGTIE's parent, another unit, and OGTIE staff.

    Made once per process and copied into later tests (``seed_once``): about 0.25 s a test.
    """

    sg: Unit
    ogtie: Unit
    digep: Unit
    otra: Unit
    requester: Any
    colleague: Any
    outsider: Any
    director: Any
    director_otra: Any
    director_sg: Any
    operador: Any
    jefe: Any
    coord_inn: Any
    coord_inf: Any
    nobody: Any

    USERS = {
        "requester": ("personal", "digep"),
        "colleague": ("personal", "digep"),
        "outsider": ("personal", "otra"),
        "director": ("director-uo", "digep"),
        "director_otra": ("director-uo", "otra"),
        "director_sg": ("director-uo", "sg"),
        "operador": ("operador-mesa", "ogtie"),
        "jefe": ("jefe-ogtie", "ogtie"),
        "coord_inn": ("coord-innovacion", "ogtie"),
        "coord_inf": ("coord-infraestructura", "ogtie"),
        "nobody": (None, "otra"),
    }

    def __init__(self) -> None:
        ids = seed_once("procedures.People", self._make)
        units = {u.pk: u for u in Unit.objects.filter(pk__in=ids["units"].values())}
        users = get_user_model().objects.in_bulk(list(ids["users"].values()))
        self.sg, self.ogtie, self.digep, self.otra = (
            units[ids["units"][name]] for name in ("sg", "ogtie", "digep", "otra")
        )
        for name, pk in ids["users"].items():
            setattr(self, name, users[pk])

    @classmethod
    def _make(cls) -> dict[str, dict[str, int]]:
        sg = ensure_unit("SG", "Secretaría General")
        units = {
            "sg": sg,
            "ogtie": ensure_unit("OGTIE", "OGTIE", parent=sg),
            "digep": ensure_unit("DIGEP", "Dirección General de Educación", parent=sg),
            "otra": ensure_unit("OTRA", "Otra unidad", parent=sg),
        }
        users = {
            name: make_user(role, unit=units[unit]) for name, (role, unit) in cls.USERS.items()
        }
        return {
            "units": {name: unit.pk for name, unit in units.items()},
            "users": {name: user.pk for name, user in users.items()},
        }
