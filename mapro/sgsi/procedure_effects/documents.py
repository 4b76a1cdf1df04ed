"""S04.01.00.03 "Gestión de la seguridad de la información" writes the register of SGSI documents.

``{register: "Registro de documentos del SGSI"}`` on its documentation steps; the rows of the
steps' lists name each document by its code (``codigo``):

- act. 1 (remitir): the documents remitted are registered if the register lacks them (title
  from the row, team from the row's ``equipo``);
- act. 2 (revisar y evaluar): the review's ``observaciones_documentacion`` is written as an
  observation on each document remitted at act. 1;
- act. 4 (ejecutar los acuerdos) and act. 7 (corregir): each updated document gets its next
  version, en revisión, with the row's file (a row without file is a field error);
- act. 10 (verificar resultados): with "observaciones", the text is written on every version
  under review of the case (they become observadas and go back to act. 4); with acceptance, the
  teams it is communicated to are required;
- act. 11 (gestionar la aprobación): each document presented must have a version under review
  in this case;
- act. 12 (aprobar y difundir): those versions are approved by the Jefe(a) with the Memorándum
  interno the step issues (its number and date), and get their next review date;
- act. 13 (custodia): where the approved documents are kept.

Every write goes through ``actions.documents`` with ``engine_checked=True`` (the engine checked
the step's role) and the completing user as actor; a field error rolls the step back.
"""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.organization.permissions import has_role
from mapro.procedures.effects import EffectCall, Outcome

from ..actions.documents import (
    do_add_version,
    do_approve_version,
    do_observe_document,
    do_register_document,
    do_set_custody,
    normalize_code,
)
from ..choices import TEAM_ROLE, Team, VersionStatus
from ..models import SgsiDocument, SgsiDocumentVersion

REGISTER = "Registro de documentos del SGSI"
CODE = "S04.01.00.03"
VERSION_LISTS = {
    4: ("documentos_actualizados", "cambios_efectuados"),
    7: ("documentos_corregidos", "correcciones"),
}


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _rows(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    rows = data.get(key)
    return (
        [(i, r) for i, r in enumerate(rows or []) if isinstance(r, dict)]
        if isinstance(rows, list)
        else []
    )


def _team_of(actor: Any, row: dict[str, Any]) -> str:
    team = str(row.get("equipo") or "")
    if team in Team.values:
        return team
    for candidate, role in TEAM_ROLE.items():
        if candidate != Team.SGSI and has_role(actor, [role]):
            return str(candidate)
    return Team.SGSI


def _document(call: EffectCall, row: dict[str, Any], field: str) -> SgsiDocument:
    """The row's document by its code, registered now if the register lacks it."""
    code = normalize_code(row.get("codigo"))
    found = SgsiDocument.objects.filter(code=code).first()
    if found is not None:
        return found
    try:
        return do_register_document(
            code=code,
            title=row.get("documento") or code,
            owner_team=_team_of(call.actor, row),
            actor=call.actor,
            engine_checked=True,
        )
    except InvalidInput as exc:
        raise InvalidInput(
            errors={f"{field}.{k if k != 'code' else 'codigo'}": v for k, v in exc.errors.items()}
        ) from None


def _pending(call: EffectCall) -> list[SgsiDocumentVersion]:
    return list(
        SgsiDocumentVersion.objects.select_related("document")
        .filter(instance=call.instance, status=VersionStatus.EN_REVISION)
        .order_by("document__code")
    )


def _remitted(call: EffectCall) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"documentos.{i}", row)
        for i, row in _rows(call.step_data(1), "documentos")
        if normalize_code(row.get("codigo"))
    ]


def handle_sgsi_documents(call: EffectCall) -> Outcome:
    """Write what step ``call.n`` of S04.01.00.03 leaves in the register (module docstring)."""
    if call.instance.procedure_code != CODE:
        return Outcome.skipped(
            f"El procedimiento {call.instance.procedure_code} no escribe este registro."
        )
    n, data = call.n, call.data
    source = f"{CODE}, actividad {n}"
    if n == 1:
        codes = [
            _document(call, row, f"documentos.{i}").code
            for i, row in _rows(data, "documentos")
            if normalize_code(row.get("codigo"))
        ]
        return (
            Outcome.applied(documents=codes)
            if codes
            else Outcome.skipped("ningún documento lleva código")
        )
    if n == 2:
        text = _text(data, "observaciones_documentacion")
        if not text:
            return Outcome.skipped("la revisión no registra observaciones")
        docs = [_document(call, row, field) for field, row in _remitted(call)]
        for document in docs:
            do_observe_document(
                document,
                text=text,
                source=source,
                actor=call.actor,
                instance=call.instance,
                engine_checked=True,
                field="observaciones_documentacion",
            )
        return Outcome.applied(observed=[d.code for d in docs])
    if n in VERSION_LISTS:
        key, changes_key = VERSION_LISTS[n]
        versions = []
        for i, row in _rows(data, key):
            document = _document(call, row, f"{key}.{i}")
            version = do_add_version(
                document,
                file_name=_text(row, "archivo"),
                changes=_text(data, changes_key),
                actor=call.actor,
                instance=call.instance,
                engine_checked=True,
                field=f"{key}.{i}.archivo",
            )
            versions.append(f"{document.code} v{version.number}")
        return (
            Outcome.applied(versions=versions)
            if versions
            else Outcome.skipped("sin documentos actualizados")
        )
    if n == 10:
        return _verify(call, source)
    if n == 11:
        pending = {v.document.code: v for v in _pending(call)}
        errors = {
            f"documentos.{i}.codigo": [
                f"{normalize_code(row.get('codigo'))} no tiene una versión en revisión "
                "en este expediente."
            ]
            for i, row in _rows(data, "documentos")
            if normalize_code(row.get("codigo")) not in pending
        }
        if errors:
            raise InvalidInput(errors=errors)
        return Outcome.applied(
            presented=sorted(normalize_code(r.get("codigo")) for _, r in _rows(data, "documentos"))
        )
    if n == 12:
        presented = {
            normalize_code(r.get("codigo")) for _, r in _rows(call.step_data(11), "documentos")
        }
        approved = []
        for version in _pending(call):
            if presented and version.document.code not in presented:
                continue
            try:
                do_approve_version(
                    version,
                    approval_document=_text(data, "memorandum"),
                    approved_on=_text(data, "fecha_memorandum"),
                    next_review=_text(data, "proxima_revision") or None,
                    actor=call.actor,
                    engine_checked=True,
                )
            except InvalidInput as exc:
                names = {
                    "approval_document": "memorandum",
                    "approved_on": "fecha_memorandum",
                    "next_review": "proxima_revision",
                }
                raise InvalidInput(
                    errors={names.get(k, k): v for k, v in exc.errors.items()}
                ) from None
            approved.append(f"{version.document.code} v{version.number}")
        return (
            Outcome.applied(approved=approved)
            if approved
            else Outcome.skipped("ninguna versión en revisión")
        )
    if n == 13:
        location = _text(data, "ubicacion_custodia")
        kept = SgsiDocument.objects.filter(
            versions__instance=call.instance, versions__status=VersionStatus.APROBADA
        ).distinct()
        codes = []
        for document in kept:
            do_set_custody(document, location=location, actor=call.actor, engine_checked=True)
            codes.append(document.code)
        return (
            Outcome.applied(custody=codes)
            if codes
            else Outcome.skipped("ningún documento aprobado")
        )
    return Outcome.skipped(f"la actividad {n} no escribe el registro")


def _verify(call: EffectCall, source: str) -> Outcome:
    """Activity 10: observations send the versions back; acceptance names the teams told."""
    data = call.data
    if data.get("aceptacion") == "observaciones":
        text = _text(data, "observaciones_documentacion")
        if not text:
            raise InvalidInput(
                errors={
                    "observaciones_documentacion": [
                        "Escriba las observaciones que se devuelven al encargado."
                    ]
                }
            )
        pending = _pending(call)
        for version in pending:
            do_observe_document(
                version.document,
                version=version,
                text=text,
                source=source,
                actor=call.actor,
                instance=call.instance,
                engine_checked=True,
                field="observaciones_documentacion",
            )
        return Outcome.applied(observed=[f"{v.document.code} v{v.number}" for v in pending])
    if not _rows(data, "equipos"):
        raise InvalidInput(
            errors={"equipos": ["Indique a qué equipos se comunica la aceptación de los cambios."]}
        )
    return Outcome.applied(accepted=[f"{v.document.code} v{v.number}" for v in _pending(call)])
