"""Publishing fichas: each changed ficha becomes a new immutable ProcedureVersion."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.organization.permissions import has_role

from .ficha.compiler import compile_bpmn
from .ficha.hashing import content_hash
from .ficha.loader import INVENTORY_FILE, ficha_paths
from .ficha.validator import check_directory
from .models import Procedure, ProcedureVersion

PUBLISHER_ROLES = ("jefe-ogtie",)


def _may_publish(actor: Any) -> bool:
    # ``None`` is the system itself (``mapro procedures publish`` run by the operator).
    if actor is None:
        return True
    return bool(getattr(actor, "is_superuser", False)) or has_role(actor, PUBLISHER_ROLES)


def do_publish_procedures(
    directory: str | Path | None = None, *, actor: Any
) -> list[ProcedureVersion]:
    """Validate every ficha of ``directory`` and publish those whose content changed.

    All or nothing: if any ficha (or the inventory) has a problem, nothing is published and
    InvalidInput lists every problem as ``file:line: message`` under ``errors["fichas"]``.
    Otherwise, in one transaction, each ficha creates or updates its Procedure (name and process
    levels) and, when its content hash (ficha + compiler version) is new, a ProcedureVersion
    with the compiled BPMN, which becomes ``current_version``. An unchanged ficha publishes
    nothing; a ficha reverted to an already published content makes that version current again.
    Versions are never modified. Only the system (``actor=None``), a superuser or the Jefe(a) de
    la OGTIE may publish. Returns the versions created.
    """
    if not _may_publish(actor):
        raise Forbidden("Solo el Jefe(a) de la OGTIE puede publicar procedimientos.")
    fichas = checked_fichas(Path(directory or settings.MAPRO_PROCEDURES_DIR))
    created: list[ProcedureVersion] = []
    with transaction.atomic():
        for ficha in fichas:
            created += _publish_one(ficha, actor=actor)
    return created


# Fichas that passed the checks, by the content of their files: checking a directory (YAML with
# line numbers, every rule, every form schema) costs about 50 ms a ficha, and the same content
# is published again and again by the web action and, above all, by the tests.
_CHECKED: dict[tuple[tuple[str, str], ...], list[dict[str, Any]]] = {}
_CHECKED_MAX = 32


def checked_fichas(directory: Path) -> list[dict[str, Any]]:
    """The plain JSON content of every ficha of ``directory``, all checked.

    Raises InvalidInput listing every problem as ``file:line: message`` under
    ``errors["fichas"]``. A directory whose files have the same content as one already checked
    in this process is not checked again (only valid results are remembered).
    """
    files = [directory / INVENTORY_FILE, *ficha_paths(directory)]
    key = tuple(
        (path.name, hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "")
        for path in files
    )
    cached = _CHECKED.get(key)
    if cached is None:
        loaded, problems = check_directory(directory)
        if problems:
            raise InvalidInput(
                "Hay fichas con errores; no se publicó ningún procedimiento.",
                errors={"fichas": [str(p) for p in problems]},
            )
        # The plain JSON content, without the loader's line metadata.
        cached = [json.loads(json.dumps(ficha)) for ficha in loaded]
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.pop(next(iter(_CHECKED)))
        _CHECKED[key] = cached
    return copy.deepcopy(cached)


_COMPILED: dict[str, str] = {}


def _compiled_bpmn(ficha: dict[str, Any], digest: str) -> str:
    """The BPMN of a ficha, compiled once per content hash (which covers the compiler version)."""
    if digest not in _COMPILED:
        if len(_COMPILED) >= _CHECKED_MAX * 4:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[digest] = compile_bpmn(ficha)
    return _COMPILED[digest]


def _publish_one(ficha: dict[str, Any], *, actor: Any) -> list[ProcedureVersion]:
    digest = content_hash(ficha)
    fields = {
        "name": ficha["name"],
        "level1": ficha["process"]["level1"],
        "level2": ficha["process"].get("level2") or "",
    }
    procedure, _ = Procedure.objects.select_for_update().get_or_create(
        code=ficha["code"], defaults=fields
    )
    if any(getattr(procedure, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(procedure, key, value)
        procedure.save(update_fields=[*fields])
    before = _state(procedure.current_version)
    version = ProcedureVersion.objects.filter(content_hash=digest).first()
    new = version is None
    if version is None:
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            content_hash=digest,
            manual_version=str(ficha["version"]),
            ficha=ficha,
            bpmn_xml=_compiled_bpmn(ficha, digest),
        )
    elif version.procedure_id != procedure.pk:
        raise InvalidInput(f"El contenido de {ficha['code']} ya está publicado en otro código.")
    if procedure.current_version_id == version.pk:
        return []
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    record_event(
        actor=actor,
        action="procedure.publish",
        obj=procedure,
        before=before,
        after={**(_state(version) or {}), "new_version": new},
    )
    return [version] if new else []


def _state(version: ProcedureVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "version_id": version.pk,
        "content_hash": version.content_hash,
        "manual_version": version.manual_version,
    }
