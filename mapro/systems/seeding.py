"""Demo catalogue of information systems loaded by ``mapro seed --demo`` (idempotent).

Three systems of the demo unit whose director is the demo ``director-uo`` (so the system owner
sees them): one in production with its first release, one under maintenance, one retired with
where its data and source code went. Without ``--demo`` nothing is loaded: the catalogue is
filled by S04.02.00.01 and by the coordinator of the innovation team.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from mapro.organization.data import DEMO_UNIT_SCOPED_UNIT
from mapro.organization.models import Unit
from mapro.organization.seeding import register_seed_step

from . import actions
from .models import InformationSystem

DEMO_SYSTEMS = [
    ("SIGEDOC", "Sistema de gestión documental", "en-produccion", "alta",
     "Java 21, PostgreSQL 16", ["srv-app-01", "srv-bd-01"]),
    ("SIGA-PAT", "Sistema de control patrimonial", "en-mantenimiento", "media",
     "PHP 8.3, MySQL 8", ["srv-app-02"]),
    ("INTRANET-V1", "Intranet institucional (versión 1)", "en-produccion", "baja",
     "PHP 5.6", ["srv-legacy-01"]),
]  # fmt: skip


@transaction.atomic
def seed_demo_systems() -> int:
    unit = Unit.objects.filter(code=DEMO_UNIT_SCOPED_UNIT).first() or Unit.objects.first()
    if unit is None:
        return 0
    created = 0
    for code, name, state, criticality, tech, servers in DEMO_SYSTEMS:
        if InformationSystem.objects.filter(code=code).exists():
            continue
        system = actions.do_register_system(
            code=code, name=name, owner_unit=unit, criticality=criticality, technologies=tech,
            servers=servers, state=state, repository=f"https://git.mindef.gob.pe/ogtie/{code.lower()}",
            environments={"produccion": f"https://{code.lower()}.mindef.gob.pe"},
            actor=None, check=False,
        )  # fmt: skip
        release = actions.do_register_release(
            system, version="1.0.0", changes="Primera versión.", commit_ref="v1.0.0",
            actor=None, check=False,
        )  # fmt: skip
        actions.do_deploy_release(
            release, released_on=datetime.date(2025, 3, 3), actor=None, check=False
        )
        if state == "en-mantenimiento":
            actions.set_state(system, state, actor=None)
        if code == "INTRANET-V1":
            actions.do_retire_system(
                system, decommissioned_on=datetime.date(2026, 6, 30),
                data_location="NAS-01:/archivo/intranet-v1/bd",
                backup_location="https://git.mindef.gob.pe/archivo/intranet-v1",
                actor=None, check=False,
            )  # fmt: skip
        created += 1
    return created


@register_seed_step(order=80)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s catalogue step: demo systems with ``--demo`` only."""
    if not demo:
        return "Catálogo de sistemas: sin datos de referencia."
    return f"Catálogo de sistemas: {seed_demo_systems()} sistema(s) de demostración."


# --- demo cases (mapro.procedures.demo) ------------------------------------------------------

#: The sample reports shipped with the app (``samples/``): a clean SonarQube export and ZAP scan.
DEMO_REPORTS = {"reporte_sonarqube": "sonarqube-clean.json", "reporte_zap": "zap-clean.json"}
SAMPLES = Path(__file__).resolve().parent / "samples"


def demo_report_values(instance: Any, n: int, data: dict[str, Any]) -> dict[str, Any]:
    """A demo case's code-review step (S04.02.00.01/02) answers the numbers of the SonarQube and
    ZAP reports its quality analyst uploads first in «Evidencias de calidad», as in real use."""
    from django.contrib.auth import get_user_model

    from .choices import QualityTool
    from .procedure_effects import system_of

    if not any(field in data for field in DEMO_REPORTS):
        return {}
    system = system_of(instance)
    uploader = get_user_model().objects.filter(username="resp-calidad", is_active=True).first()
    if system is None or uploader is None:
        return {}
    values: dict[str, Any] = {}
    for field, name in DEMO_REPORTS.items():
        tool = QualityTool.SONARQUBE if field == "reporte_sonarqube" else QualityTool.ZAP
        report = actions.do_upload_quality_report(
            system, tool=tool, filename=name, raw=(SAMPLES / name).read_bytes(), actor=uploader
        )
        values[field] = report.pk
    return values


def _register_demo_values() -> None:
    from mapro.procedures.demo import register_demo_values

    for code in ("S04.02.00.01", "S04.02.00.02"):
        register_demo_values(code, demo_report_values)


_register_demo_values()
