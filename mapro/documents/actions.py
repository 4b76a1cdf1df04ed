"""Actions of the documents register: issue a document from a procedure step.

``do_issue_document`` is called by the ``{document: …}`` effect handler inside the step's
transaction (mapro/documents/procedure_effects.py). The engine has already checked that the
actor holds one of the activity's roles; issuing is part of completing the step, so there is
no other permission to check here. The document is written and audited in one transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput

from . import numbering
from .models import Document, DocumentSignature, DocumentStatus, NumberSource, SignatureMethod

SUBJECT_MAX = 500
KIND_MAX = 200


def do_issue_document(
    *,
    kind: str,
    instance: Any,
    record: Any,
    subject: str,
    body: list[list[str]] | None = None,
    position: int = 0,
    activity_n: int | None = None,
    activity_name: str = "",
    unit_code: str = "OGTIE",
    ticket: Any = None,
    number: str = "",
    external: bool = False,
    addressee: str = "",
    actor: Any,
) -> Document:
    """Issue (or, for a "Proyecto de …" kind, draft) one document of ``instance``'s step.

    One document, one number: with ``number`` (the number SISTRADOC gave it, or, for a
    document ``external`` to us, the number its own office gave it) that is the document's
    number and no correlative of ours is taken; an external document without a number stays
    without one. Otherwise an issued document takes the next correlative of its family and
    year. It is linked to the latest unnumbered draft of the same family in the same instance,
    if any. Raises ``InvalidInput`` when the kind or the subject is blank.
    """
    kind = " ".join((kind or "").split())[:KIND_MAX]
    subject = " ".join((subject or "").split())[:SUBJECT_MAX]
    errors: dict[str, list[str]] = {}
    if not kind:
        errors["kind"] = ["Falta el tipo de documento."]
    if not subject:
        errors["subject"] = ["Falta el asunto del documento."]
    if errors:
        raise InvalidInput(errors=errors)
    family = numbering.family_of(kind)
    unit_code = (unit_code or "OGTIE").strip() or "OGTIE"
    number = " ".join((number or "").split())[:80]
    with transaction.atomic():
        year = timezone.localdate().year
        fields: dict[str, Any] = {
            "kind": kind,
            "family": family,
            "year": year,
            "unit_code": unit_code,
            "subject": subject,
            "body": body or [],
            "instance": instance,
            "record": record,
            "position": position,
            "activity_n": activity_n if activity_n is not None else record.n,
            "activity_name": (activity_name or record.name)[:400],
            "ticket": ticket,
            "issued_by": actor,
            "issued_by_name": actor_name(actor)[:200],
            "external": bool(external),
            "addressee": " ".join((addressee or "").split())[:300],
        }
        if numbering.is_draft(kind) and not external:
            fields["status"] = DocumentStatus.PROYECTO
            fields["number_source"] = NumberSource.NINGUNO
        else:
            fields["status"] = DocumentStatus.EMITIDO
            if number:
                fields["number"] = number
                fields["number_source"] = (
                    NumberSource.EXTERNO if external else NumberSource.SISTRADOC
                )
            elif external:
                fields["number_source"] = NumberSource.NINGUNO
            else:
                seq = numbering.next_seq(family, year)
                fields["seq"] = seq
                fields["number"] = numbering.format_number(family, seq, year, unit_code)
                fields["number_source"] = NumberSource.MAPRO
            fields["draft"] = (
                Document.objects.filter(
                    instance=instance, family=family, status=DocumentStatus.PROYECTO
                )
                .order_by("-id")
                .first()
            )
        document = Document.objects.create(**fields)
        record_event(
            actor=actor,
            action="document.draft" if document.is_draft else "document.issue",
            obj=document,
            after={
                "kind": document.kind,
                "status": document.status,
                "number": document.number,
                "number_source": document.number_source,
                "external": document.external,
                "subject": document.subject,
                "instance": instance.pk,
                "record": record.pk,
            },
        )
    return document


# --- signatures -------------------------------------------------------------------------------


def _check_signable(document: Document, actor: Any) -> None:
    if document.issued_by_id is None or document.issued_by_id != getattr(actor, "pk", None):
        raise Forbidden("Solo quien emitió el documento puede firmarlo.")
    if document.is_draft:
        raise Conflict("Un proyecto no se firma: se firma el documento emitido, con su número.")
    if document.external:
        raise Conflict("El documento lo emitió otra oficina: se registra, no se firma aquí.")
    if document.signatures.exists():
        raise Conflict("El documento ya está firmado.")


def _store_signature(
    document: Document,
    *,
    pdf: bytes,
    method: str,
    signer_name: str,
    signer_serial: str,
    issuer: str,
    certificate_serial: str,
    signed_at: Any,
    actor: Any,
) -> DocumentSignature:
    signature = DocumentSignature(
        document=document,
        method=method,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        signer_name=signer_name[:300],
        signer_serial=signer_serial[:100],
        certificate_issuer=issuer[:300],
        certificate_serial=certificate_serial[:100],
        signed_at=signed_at,
        recorded_by=actor,
        recorded_by_name=actor_name(actor)[:200],
    )
    signature.file.save(f"{document.pk}.pdf", ContentFile(pdf), save=False)
    # The file is written before the row: if the transaction rolls back, the orphan file holds
    # nothing the database points at (and is named by a random uuid).
    signature.save()
    record_event(
        actor=actor,
        action="document.sign",
        obj=document,
        after={
            "method": method,
            "signer": signature.signer_name,
            "certificate_serial": signature.certificate_serial,
            "sha256": signature.sha256,
        },
    )
    return signature


def do_sign_document(
    document: Document, *, certificate: bytes | None, password: str | None, actor: Any
) -> DocumentSignature:
    """Sign ``document`` in PAdES with its issuer's certificate (PKCS#12 + password).

    Only the user who issued the document signs it, once. The PDF is rendered from the
    institutional template and signed with a visible stamp. The certificate's password and key
    are used in memory only: never stored, never in the audit event or a log. A wrong password,
    a file that is not a certificate, or a certificate expired (or not yet valid) is an
    ``InvalidInput`` naming the field, and nothing is saved.
    """
    from .pdf import render_pdf
    from .signing import load_signer, sign_pdf

    _check_signable(document, actor)
    loaded = load_signer(certificate, password)
    signed = sign_pdf(render_pdf(document), loaded, reason=f"Emisión de {document.number}")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _check_signable(locked, actor)
        return _store_signature(
            locked,
            pdf=signed,
            method=SignatureMethod.PADES,
            signer_name=loaded.common_name,
            signer_serial=loaded.serial_number,
            issuer=loaded.issuer,
            certificate_serial=loaded.certificate_serial,
            signed_at=timezone.now(),
            actor=actor,
        )


def do_record_external_signature(
    document: Document, *, pdf: bytes | None, actor: Any
) -> DocumentSignature:
    """Record the PDF of ``document`` signed outside mapro (Firma Perú) by its issuer.

    The upload must be a PDF with at least one intact, cryptographically valid signature; who
    signed and when are read from that signature. Anything else is an ``InvalidInput`` on
    ``archivo`` and nothing is saved.
    """
    from .signing import FILE_FIELD, MAX_PDF_BYTES, verify_pdf

    _check_signable(document, actor)
    if not pdf:
        raise InvalidInput(errors={FILE_FIELD: ["Adjunte el PDF firmado con Firma Perú."]})
    if len(pdf) > MAX_PDF_BYTES:
        raise InvalidInput(errors={FILE_FIELD: ["El PDF no puede pasar de 20 MB."]})
    result = verify_pdf(pdf)
    if not result.is_pdf:
        raise InvalidInput(errors={FILE_FIELD: ["El archivo no es un PDF."]})
    good = [c for c in result.signatures if c.intact and c.valid]
    if not good:
        reason = result.message if result.signed else "El PDF no tiene firmas digitales."
        raise InvalidInput(errors={FILE_FIELD: [reason]})
    last = good[-1]
    when = parse_datetime(last.signed_at) if last.signed_at else None
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _check_signable(locked, actor)
        return _store_signature(
            locked,
            pdf=pdf,
            method=SignatureMethod.FIRMA_PERU,
            signer_name=last.signer,
            signer_serial=last.signer_serial,
            issuer=last.issuer,
            certificate_serial="",
            signed_at=when or timezone.now(),
            actor=actor,
        )
