"""Reading official documents, always within the reader's scope (access.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from mapro.core.exceptions import Forbidden, NotFound
from mapro.core.links import url_maker

from . import access
from .models import Document

LIST_MESSAGE = "El registro de documentos oficiales es del personal de la OGTIE."


def documents_visible_to(user: Any) -> QuerySet[Document]:
    """Every document ``user`` may read, newest first."""
    qs = Document.objects.select_related(
        "instance__procedure_version__procedure", "ticket", "draft"
    ).prefetch_related("signatures")  # the API's "signed", one query per page
    scope = access.document_scope_q(user)
    return qs if scope is None else qs.filter(scope)


def register_for(user: Any) -> QuerySet[Document]:
    """The register's list: OGTIE staff only (``Forbidden`` for anyone else)."""
    if not access.is_staff_reader(user):
        raise Forbidden(LIST_MESSAGE)
    return documents_visible_to(user)


def get_document_for_user(user: Any, pk: int) -> Document:
    """One document, or ``NotFound`` when it does not exist or is out of ``user``'s scope."""
    document = documents_visible_to(user).filter(pk=pk).first()
    if document is None:
        raise NotFound("El documento no existe o no está en su ámbito.")
    return document


def documents_of_instance(user: Any, instance: Any) -> list[Document]:
    """The documents of ``instance`` that ``user`` may read, in step order: what the instance
    page lists (number, kind, subject), without the related rows and signatures the register
    reads (one statement)."""
    return list(
        documents_visible_to(user)
        .select_related(None)
        .prefetch_related(None)
        .filter(instance=instance)
        .only("id", "kind", "number", "subject")
        .order_by("id")
    )


def kinds_in_use() -> list[str]:
    """The document kinds present in the register, for the filter's choices."""
    return list(Document.objects.order_by("kind").values_list("kind", flat=True).distinct())


def get_document_for_signer(user: Any, pk: int) -> Document:
    """A document ``user`` issued (the only ones they may sign), else ``NotFound``: signing is
    scoped to one's own documents, so another's document is not there to sign."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("El documento no existe.")
    document = (
        Document.objects.select_related("instance__procedure_version__procedure", "ticket")
        .filter(pk=pk, issued_by=user)
        .first()
    )
    if document is None:
        raise NotFound("El documento no existe o no lo emitió usted.")
    return document


def latest_signature(document: Document) -> Any:
    """The document's signed PDF (the last one recorded), or None."""
    return document.signatures.order_by("-id").first()


def document_of_signed_pdf(data: bytes, user: Any) -> Document | None:
    """The document whose signed PDF has exactly these bytes (its SHA-256), if ``user`` may
    read it."""
    import hashlib

    from .models import DocumentSignature

    digest = hashlib.sha256(data).hexdigest()
    ids = DocumentSignature.objects.filter(sha256=digest).values("document_id")
    return documents_visible_to(user).filter(pk__in=ids).first()


def _is_document_effect(effect: Any) -> bool:
    return isinstance(effect, dict) and "document" in effect


def step_issued_documents(records: Any) -> bool:
    """Whether any of ``records`` (an instance's history: ``TaskRecord``s, None skipped) is a
    step with a ``{document: …}`` effect, the only way a document of an instance is written."""
    return any(
        _is_document_effect(effect)
        for record in records
        if record is not None
        for effect in getattr(record, "effects", None) or []
    )


def issues_documents(ficha: dict[str, Any]) -> bool:
    """Whether an instance of ``ficha`` can have documents: every document of an instance is
    issued by a ``{document: …}`` effect of one of its activities (``procedure_effects``)."""
    return any(
        _is_document_effect(effect)
        for act in ficha.get("activities") or []
        for effect in act.get("effects") or []
    )


def document_urls(user: Any, documents: Iterable[Document | None]) -> dict[int, str]:
    """The page of each of these documents (rows another app read through a foreign key) that
    ``user`` may read: ``{document id: URL}``. Least privilege: another app's page links to a
    document only when its viewer may open it, and names it by its number alone otherwise. No
    statement for OGTIE staff (who read every document) or for no documents; one otherwise."""
    wanted = {d.pk for d in documents if d is not None}
    if not wanted:
        return {}
    scope = access.document_scope_q(user)
    if scope is None:
        visible = wanted
    else:
        visible = set(Document.objects.filter(scope, pk__in=wanted).values_list("pk", flat=True))
    page = url_maker("documents:document_detail", 987654321)
    return {pk: page(pk) for pk in visible}
