"""Actions of the documents register: issue a document from a procedure step.

``do_issue_document`` is called by the ``{document: …}`` effect handler inside the step's
transaction (mapro/documents/procedure_effects.py). The engine has already checked that the
actor holds one of the activity's roles; issuing is part of completing the step, so there is
no other permission to check here. The document is written and audited in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import InvalidInput

from . import numbering
from .models import Document, DocumentStatus

SUBJECT_MAX = 500
KIND_MAX = 200


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "Sistema"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return full or actor.get_username()


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
    actor: Any,
) -> Document:
    """Issue (or, for a "Proyecto de …" kind, draft) one document of ``instance``'s step.

    An issued document takes the next correlative of its family and year; it is linked to the
    latest unnumbered draft of the same family in the same instance, if any. Raises
    ``InvalidInput`` when the kind or the subject is blank.
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
            "issued_by_name": _actor_name(actor)[:200],
        }
        if numbering.is_draft(kind):
            fields["status"] = DocumentStatus.PROYECTO
        else:
            seq = numbering.next_seq(family, year)
            fields["status"] = DocumentStatus.EMITIDO
            fields["seq"] = seq
            fields["number"] = numbering.format_number(family, seq, year, unit_code)
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
            action="document.issue" if document.seq else "document.draft",
            obj=document,
            after={
                "kind": document.kind,
                "status": document.status,
                "number": document.number,
                "subject": document.subject,
                "instance": instance.pk,
                "record": record.pk,
            },
        )
    return document
