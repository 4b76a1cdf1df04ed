"""Test factories of the catalogue of information systems (tests and the access matrix)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mapro.core.testing import ensure_unit

from . import actions
from .models import ChangeRecord, InformationSystem, QualityReport, Release

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def make_system(code: str = "SIGEDOC", *, unit: Any = None, **fields: Any) -> InformationSystem:
    existing = InformationSystem.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return actions.do_register_system(
        code=code,
        name=fields.pop("name", f"Sistema {code}"),
        owner_unit=unit or ensure_unit(),
        actor=None,
        check=False,
        **fields,
    )


def make_report(system: InformationSystem, name: str = "sonarqube-issues.json") -> QualityReport:
    tool = "zap" if name.startswith("zap") else "sonarqube"
    return actions.do_upload_quality_report(
        system, tool=tool, filename=name, raw=sample(name), actor=None, check=False
    )


def make_change(system: InformationSystem) -> ChangeRecord:
    return actions.do_open_change(
        system=system, kind="correctivo", description="Corrige el reporte mensual", actor=None
    )


def system_kwargs(user: Any) -> dict[str, Any]:
    """A system owned by the acting user's unit (a director reads their unit's systems)."""
    unit = getattr(getattr(user, "person", None), "unit", None) if user else None
    code = f"SIS-{InformationSystem.objects.count() + 1}"
    return {"pk": make_system(code, unit=unit).pk}


def release_kwargs(user: Any) -> dict[str, Any]:
    system = InformationSystem.objects.get(pk=system_kwargs(user)["pk"])
    release = actions.do_register_release(system, version="1.0.0", actor=None, check=False)
    return {"pk": release.pk}


def change_kwargs(user: Any) -> dict[str, Any]:
    system = InformationSystem.objects.get(pk=system_kwargs(user)["pk"])
    return {"pk": make_change(system).pk}


def report_kwargs(user: Any) -> dict[str, Any]:
    system = InformationSystem.objects.get(pk=system_kwargs(user)["pk"])
    return {"pk": make_report(system).pk}


def pending_release_kwargs(user: Any) -> dict[str, Any]:
    return release_kwargs(user)


__all__ = ["Release"]
