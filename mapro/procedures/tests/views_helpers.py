"""Shared data of the HTML screen tests: a ficha using every form field kind, published for real.

``S04.04.00.02`` here is synthetic (the real ficha is not encoded yet): activity 1 asks for
every kind of the form subset and decides "spam" (→ 2) or "phishing" (→ 3). It is published
with ``do_publish_procedures`` from a temporary directory holding the real inventory, the real
``S04.02.00.03`` and this ficha.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.actions import do_start_instance
from mapro.procedures.models import Instance, WorkItem, WorkItemState
from mapro.procedures.publishing import do_publish_procedures

CODE = "S04.04.00.02"
REAL_DIR = Path(settings.BASE_DIR) / "procedures"

FICHA: dict[str, Any] = {
    "code": CODE,
    "name": "Contención de ataques SPAM y/o PHISHING",
    "version": 1,
    "process": {"level1": "S04.04", "level2": None},
    "owner": "Jefe(a) de la Oficina General de Tecnologías de la Información y Estadística",
    "objective": "Contener los ataques de correo no deseado.",
    "scope": ["Oficina General de Tecnologías de la Información y Estadística."],
    "legal_basis": ["Ley N° 30999, Ley de Ciberdefensa"],
    "acronyms": [{"term": "MINDEF", "meaning": "Ministerio de Defensa"}],
    "definitions": [{"term": "Phishing", "meaning": "Suplantación para robar datos."}],
    "inputs": [{"supplier": "Personal del MINDEF", "element": "Reporte de correo sospechoso"}],
    "starts": [{"key": "reporte", "label": "Reporte de correo sospechoso", "activity": 1}],
    "activities": [
        {
            "n": 1,
            "name": "Registrar y clasificar el reporte",
            "description": "Registra el reporte recibido.\nClasifica el correo.",
            "unit": "OGTIE",
            "roles": ["operador-mesa"],
            "form": {
                "type": "object",
                "required": ["asunto", "cantidad"],
                "properties": {
                    "asunto": {"type": "string", "title": "Asunto del correo", "maxLength": 50},
                    "detalle": {
                        "type": "string",
                        "format": "textarea",
                        "title": "Detalle",
                        "description": "Lo que informó el usuario.",
                    },
                    "cantidad": {
                        "type": "integer",
                        "title": "Correos recibidos",
                        "minimum": 1,
                    },
                    "puntaje": {"type": "number", "title": "Puntaje de riesgo"},
                    "urgente": {"type": "boolean", "title": "Es urgente"},
                    "fecha": {"type": "string", "format": "date", "title": "Fecha del reporte"},
                    "hora": {
                        "type": "string",
                        "format": "date-time",
                        "title": "Fecha y hora de recepción",
                    },
                    "evidencia": {"type": "string", "format": "file", "title": "Evidencia"},
                    "canal": {
                        "type": "string",
                        "title": "Canal del reporte",
                        "oneOf": [
                            {"const": "correo", "title": "Correo"},
                            {"const": "telefono", "title": "Teléfono"},
                        ],
                    },
                    "equipo": {
                        "type": "string",
                        "title": "Equipo afectado",
                        "oneOf": [
                            {"const": "pc", "title": "Computadora"},
                            {"const": "laptop", "title": "Laptop"},
                            {"const": "movil", "title": "Móvil"},
                            {"const": "servidor", "title": "Servidor"},
                            {"const": "otro", "title": "Otro"},
                        ],
                    },
                    "correos": {
                        "type": "array",
                        "title": "Correos sospechosos",
                        "items": {
                            "type": "object",
                            "required": ["remitente"],
                            "properties": {
                                "remitente": {
                                    "type": "string",
                                    "title": "Remitente",
                                    "maxLength": 100,
                                },
                                "revisado": {"type": "boolean", "title": "Revisado"},
                                "adjunto": {
                                    "type": "string",
                                    "format": "file",
                                    "title": "Copia del correo",
                                },
                            },
                        },
                    },
                },
            },
            "effects": [{"ticket": "create"}],
            "decision": {
                "field": "clasificacion",
                "question": "¿Es SPAM o PHISHING?",
                "branches": [
                    {"const": "spam", "title": "Spam", "next": 2},
                    {"const": "phishing", "title": "Phishing", "next": 3},
                ],
            },
        },
        {
            "n": 2,
            "name": "Bloquear el remitente",
            "description": "Bloquea el remitente en la plataforma de correo.",
            "unit": "OGTIE",
            "roles": ["tecnico-especialista"],
            "next": "end",
        },
        {
            "n": 3,
            "name": "Notificar al oficial de seguridad digital",
            "description": "Notifica el caso de phishing.",
            "unit": "OGTIE",
            "roles": ["oficial-seguridad-digital"],
            "next": "end",
        },
    ],
    "products": ["Ataque contenido."],
    "clients": ["Unidades de organización del MINDEF"],
    "formats": [],
    "related_process": "S04.04 Gestión de ciberseguridad.",
    "changes": [
        {"version": 1, "section": "Actividades", "description": "Ficha sintética de prueba."}
    ],
}


def publish_all(directory: Path) -> None:
    """Publish the real inventory and S04.02.00.03 plus the synthetic S04.04.00.02."""
    shutil.copy(REAL_DIR / "_inventario.yaml", directory / "_inventario.yaml")
    shutil.copy(REAL_DIR / "S04.02.00.03.yaml", directory / "S04.02.00.03.yaml")
    (directory / f"{CODE}.yaml").write_text(
        yaml.safe_dump(FICHA, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    do_publish_procedures(directory, actor=None)


def fresh(user: Any) -> Any:
    """The same user as a new object (grants are cached per user object)."""
    return get_user_model().objects.get(pk=user.pk)


class Cast:
    """OGTIE staff and people of two other units."""

    def __init__(self) -> None:
        self.sg = ensure_unit("SG", "Secretaría General")
        self.ogtie = ensure_unit("OGTIE", "Oficina General de TI y Estadística", parent=self.sg)
        self.otra = ensure_unit("OTRA", "Otra unidad", parent=self.sg)
        self.operador = make_user("operador-mesa", unit=self.ogtie)
        self.operador2 = make_user("operador-mesa", unit=self.ogtie)
        self.soporte = make_user("resp-soporte", unit=self.ogtie)
        self.jefe = make_user("jefe-ogtie", unit=self.ogtie)
        self.tecnico = make_user("tecnico-especialista", unit=self.ogtie)
        self.outsider = make_user("personal", unit=self.otra)


@pytest.fixture
def published(db: Any, tmp_path: Path) -> Path:
    directory = tmp_path / "fichas"
    directory.mkdir()
    publish_all(directory)
    return directory


@pytest.fixture
def cast(db: Any) -> Cast:
    return Cast()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a throwaway MEDIA_ROOT."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


def start(user: Any) -> Instance:
    return do_start_instance(CODE, actor=fresh(user))


def open_item(instance: Instance) -> WorkItem:
    return instance.work_items.get(state=WorkItemState.OPEN)
