"""Actions on the register of SGSI documents: register a document, add a version (always with
its file), observe, approve (with the document that approves it) and record where it is kept.

Each runs in one transaction, checks the role (unless a procedure step calls it with
``engine_checked=True``: the engine already checked the step's role), validates with field
errors (``InvalidInput``; nothing is written) and records an audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Conflict, InvalidInput

from .. import access
from ..choices import KIND_BY_PREFIX, DocumentKind, DocumentStatus, Team, VersionStatus
from ..models import SgsiDocument, SgsiDocumentVersion, SgsiObservation
from .common import as_date, clean

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9.-]{2,39}$")
MAX_FILE_BYTES = 25 * 1024 * 1024
#: An approved document is reviewed again a year later unless the approval says otherwise
#: (the SGSI's documents are reviewed at least once a year, ISO/IEC 27001 7.5.2 / 9.3).
REVIEW_AFTER = relativedelta(years=1)


def normalize_code(code: Any) -> str:
    return "".join(str(code or "").split()).upper()


def kind_from_code(code: str) -> str:
    """``SGSI-POL-001`` → política; unknown prefixes → otro."""
    parts = code.split("-")
    for part in parts[1:2] + parts[:1]:
        if part in KIND_BY_PREFIX:
            return str(KIND_BY_PREFIX[part])
    return DocumentKind.OTRO


def do_register_document(
    *,
    code: Any,
    title: Any,
    kind: Any = "",
    owner_team: Any,
    next_review: Any = None,
    actor: Any,
    engine_checked: bool = False,
) -> SgsiDocument:
    """Register a document of the SGSI (without versions yet: its first version comes next).

    The code is unique (upper case, letters, digits, dots and hyphens); the kind defaults to
    the one its code prefix names (SGSI-POL → política).
    """
    access.check(
        actor,
        access.DOC_EDITORS,
        "Su rol no registra documentos del SGSI.",
        engine_checked=engine_checked,
    )
    errors: dict[str, list[str]] = {}
    code = normalize_code(code)
    title = clean(title, 300)
    kind = str(kind or "").strip() or (kind_from_code(code) if code else "")
    owner_team = str(owner_team or "").strip()
    if not code:
        errors["code"] = ["Indique el código del documento (p. ej. SGSI-POL-001)."]
    elif not CODE_RE.match(code):
        errors["code"] = [
            "El código solo lleva letras, cifras, puntos y guiones (p. ej. SGSI-POL-001)."
        ]
    elif SgsiDocument.objects.filter(code=code).exists():
        errors["code"] = [f"Ya existe un documento con el código {code}."]
    if not title:
        errors["title"] = ["Indique el título del documento."]
    if kind not in DocumentKind.values:
        errors["kind"] = ["Elija el tipo: política, procedimiento, plan, formato…"]
    if owner_team not in Team.values:
        errors["owner_team"] = ["Elija el equipo responsable del documento."]
    review = as_date(errors, "next_review", next_review, "Próxima revisión")
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        document = SgsiDocument.objects.create(
            code=code,
            title=title,
            kind=kind,
            owner_team=owner_team,
            next_review=review,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="sgsi_document.create",
            obj=document,
            after={
                "code": code,
                "title": title,
                "kind": kind,
                "owner_team": owner_team,
                "next_review": review.isoformat() if review else None,
            },
        )
    return document


def _read_file(upload: Any) -> tuple[bytes, str]:
    if upload is None:
        return b"", ""
    name = str(getattr(upload, "name", "") or "archivo")
    data = upload.read()
    return data, name.rsplit("/", 1)[-1][:255]


def do_add_version(
    document: SgsiDocument,
    *,
    file: Any = None,
    file_name: Any = "",
    changes: Any = "",
    actor: Any,
    instance: Any = None,
    engine_checked: bool = False,
    field: str = "file",
) -> SgsiDocumentVersion:
    """Add the next version of ``document`` (en revisión), with its file.

    A version without a file is refused (``field`` names the form's field). An earlier version
    still under review is replaced by this one.
    """
    access.check(
        actor,
        access.DOC_EDITORS,
        "Su rol no presenta versiones de documentos del SGSI.",
        engine_checked=engine_checked,
    )
    data, uploaded_name = _read_file(file)
    reference = clean(file_name, 255)
    if file is not None and not data:
        raise InvalidInput(errors={field: ["El archivo está vacío."]})
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(errors={field: ["El archivo no puede pasar de 25 MB."]})
    if not data and not reference:
        raise InvalidInput(errors={field: ["Adjunte el archivo de la nueva versión."]})
    with transaction.atomic():
        locked = SgsiDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == DocumentStatus.OBSOLETO:
            raise Conflict("El documento es obsoleto: no recibe versiones nuevas.")
        number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        replaced = list(
            locked.versions.filter(status=VersionStatus.EN_REVISION).values_list(
                "number", flat=True
            )
        )
        locked.versions.filter(status=VersionStatus.EN_REVISION).update(
            status=VersionStatus.REEMPLAZADA
        )
        version = SgsiDocumentVersion(
            document=locked,
            number=number,
            file_name=uploaded_name or reference,
            sha256=hashlib.sha256(data).hexdigest() if data else "",
            changes=clean(changes),
            submitted_by=actor,
            submitted_by_name=actor_name(actor),
            instance=instance,
        )
        if data:
            from django.core.files.base import ContentFile

            version.file.save(uploaded_name or "archivo", ContentFile(data), save=False)
        version.save()
        record_event(
            actor=actor,
            action="sgsi_document.add_version",
            obj=locked,
            after={
                "version": number,
                "file_name": version.file_name,
                "sha256": version.sha256,
                "replaced": replaced,
                "instance": getattr(instance, "pk", None),
            },
        )
    return version


def do_observe_document(
    document: SgsiDocument,
    *,
    text: Any,
    version: SgsiDocumentVersion | None = None,
    source: str = "",
    actor: Any,
    instance: Any = None,
    engine_checked: bool = False,
    field: str = "text",
) -> SgsiObservation:
    """Write an observation on ``document``; a version under review it names becomes observada."""
    access.check(
        actor,
        access.DOC_OBSERVERS,
        "Su rol no registra observaciones del SGSI.",
        engine_checked=engine_checked,
    )
    text = clean(text)
    if not text:
        raise InvalidInput(errors={field: ["Escriba la observación."]})
    if version is not None and version.document_id != document.pk:
        raise InvalidInput(errors={"version": ["La versión no es de este documento."]})
    with transaction.atomic():
        observation = SgsiObservation.objects.create(
            document=document,
            version=version,
            text=text,
            author=actor,
            author_name=actor_name(actor),
            source=source[:200],
            instance=instance,
        )
        if version is not None and version.status == VersionStatus.EN_REVISION:
            SgsiDocumentVersion.objects.filter(pk=version.pk).update(status=VersionStatus.OBSERVADA)
        record_event(
            actor=actor,
            action="sgsi_document.observe",
            obj=document,
            after={"version": version.number if version else None, "text": text, "source": source},
        )
    return observation


def do_approve_version(
    version: SgsiDocumentVersion,
    *,
    approval_document: Any,
    approved_on: Any,
    next_review: Any = None,
    actor: Any,
    engine_checked: bool = False,
) -> SgsiDocumentVersion:
    """Approve a version under review: it becomes the document's version in force.

    Needs the approving document (the Memorándum interno) and its date (not in the future);
    the version in force until now is replaced; the next review defaults to a year after the
    approval. Approving a version not under review is a ``Conflict``.
    """
    access.check(
        actor,
        access.DOC_APPROVERS,
        "Solo el/la Jefe(a) de la OGTIE aprueba documentos del SGSI.",
        engine_checked=engine_checked,
    )
    errors: dict[str, list[str]] = {}
    approval_document = clean(approval_document, 120)
    if not approval_document:
        errors["approval_document"] = ["Indique el documento que aprueba la versión (Memorándum)."]
    day = as_date(
        errors, "approved_on", approved_on, "Fecha de aprobación", future_ok=engine_checked
    )
    if day is None and "approved_on" not in errors:
        errors["approved_on"] = ["Indique la fecha de aprobación."]
    review = as_date(errors, "next_review", next_review, "Próxima revisión")
    if day is not None and review is not None and review <= day:
        errors["next_review"] = ["La próxima revisión debe ser posterior a la aprobación."]
    if errors:
        raise InvalidInput(errors=errors)
    assert day is not None
    with transaction.atomic():
        document = SgsiDocument.objects.select_for_update().get(pk=version.document_id)
        version = SgsiDocumentVersion.objects.get(pk=version.pk)
        if version.status != VersionStatus.EN_REVISION:
            raise Conflict(
                f"La versión {version.number} está {version.get_status_display().lower()}: "
                "solo se aprueba una versión en revisión."
            )
        previous = document.current_version_id
        document.versions.filter(status=VersionStatus.APROBADA).update(
            status=VersionStatus.REEMPLAZADA
        )
        version.status = VersionStatus.APROBADA
        version.approved_by = actor
        version.approved_by_name = actor_name(actor)
        version.approved_on = day
        version.approval_document = approval_document
        version.save()
        document.current_version = version
        document.status = DocumentStatus.VIGENTE
        document.next_review = review or (day + REVIEW_AFTER)
        document.save(update_fields=["current_version", "status", "next_review", "updated_at"])
        record_event(
            actor=actor,
            action="sgsi_document.approve",
            obj=document,
            before={"current_version": previous},
            after={
                "version": version.number,
                "approval_document": approval_document,
                "approved_on": day.isoformat(),
                "next_review": document.next_review.isoformat(),
            },
        )
    return version


def do_set_custody(
    document: SgsiDocument, *, location: Any, actor: Any, engine_checked: bool = False
) -> SgsiDocument:
    """Record where the document is kept (S04.01.00.03 activity 13)."""
    access.check(
        actor,
        access.DOC_EDITORS,
        "Su rol no registra la custodia de documentos.",
        engine_checked=engine_checked,
    )
    location = clean(location, 300)
    if not location:
        raise InvalidInput(errors={"location": ["Indique dónde se custodia el documento."]})
    with transaction.atomic():
        before = document.custody_location
        SgsiDocument.objects.filter(pk=document.pk).update(custody_location=location)
        document.custody_location = location
        record_event(
            actor=actor,
            action="sgsi_document.custody",
            obj=document,
            before={"custody_location": before},
            after={"custody_location": location},
        )
    return document


def review_due(document: SgsiDocument, today: dt.date) -> bool:
    """Whether the document's review date has come."""
    return document.next_review is not None and document.next_review <= today
