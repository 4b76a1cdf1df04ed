"""Numbering of official documents: families, drafts, correlatives per family and year, and
the action's validation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import InvalidInput
from mapro.core.testing import make_user
from mapro.documents import numbering
from mapro.documents.actions import do_issue_document
from mapro.documents.dates import long_date
from mapro.documents.models import Document, DocumentCounter
from mapro.documents.testing import STEP1, complete, started_instance


@pytest.mark.parametrize(
    ("kind", "family", "draft"),
    [
        ("Oficio", "OFICIO", False),
        ("Oficio de respuesta afirmativa", "OFICIO", False),
        ("Proyecto de oficio", "OFICIO", True),
        ("Proyecto de oficio de respuesta de indisponibilidad de equipos", "OFICIO", True),
        ("Memorándum", "MEMORÁNDUM", False),
        ("Informe de baja de equipo", "INFORME", False),
        ("Proyecto de informe de seguimiento del PGD", "INFORME", True),
        ("Acta de reunión", "ACTA", False),
        ("Reporte de la solución", "REPORTE", False),
        ("Formato de entrega de dispositivos informáticos", "DOCUMENTO", False),
    ],
)
def test_family_and_draft_of_each_kind(kind: str, family: str, draft: bool) -> None:
    assert numbering.family_of(kind) == family
    assert numbering.is_draft(kind) is draft


def test_printed_number_and_long_date() -> None:
    import datetime as dt

    assert numbering.format_number("OFICIO", 12, 2026, "OGTIE") == (
        "OFICIO N° 000012-2026-MINDEF/OGTIE"
    )
    assert long_date(dt.date(2026, 1, 5)) == "5 de enero de 2026"
    assert long_date(dt.date(2026, 11, 26)) == "26 de noviembre de 2026"


@pytest.mark.django_db
def test_correlatives_run_per_family_and_year() -> None:
    with transaction.atomic():
        assert [numbering.next_seq("OFICIO", 2026) for _ in range(3)] == [1, 2, 3]
        assert numbering.next_seq("INFORME", 2026) == 1
        assert numbering.next_seq("OFICIO", 2027) == 1
        assert numbering.next_seq("OFICIO", 2026) == 4
    assert DocumentCounter.objects.get(family="OFICIO", year=2026).last == 4


@pytest.fixture
def step(db: Any) -> Any:
    """A completed step (activity 1 of S04.02.00.03) to hang documents on."""
    starter = make_user("coord-innovacion")
    instance = started_instance(starter)
    complete(instance, 1, STEP1, starter)
    from mapro.procedures.models import TaskRecord

    return TaskRecord.objects.get(instance=instance, n=1)


def _issue(step: Any, kind: str, position: int, **extra: Any) -> Document:
    return do_issue_document(
        kind=kind,
        instance=step.instance,
        record=step,
        subject=extra.pop("subject", "Asunto de prueba"),
        position=position,
        actor=extra.pop("actor", None),
        **extra,
    )


def test_issued_kinds_share_their_family_counter_and_drafts_get_none(step: Any) -> None:
    year = timezone.localdate().year
    a = _issue(step, "Oficio", 10)
    b = _issue(step, "Oficio de respuesta afirmativa", 11)
    memo = _issue(step, "Memorándum", 12)
    draft = _issue(step, "Proyecto de informe de baja de equipo", 13)
    informe = _issue(step, "Informe de baja de equipo", 14, unit_code="OGTIE-INFRA")
    assert (a.seq, b.seq, memo.seq) == (1, 2, 1)
    assert memo.number == f"MEMORÁNDUM N° 000001-{year}-MINDEF/OGTIE"
    assert draft.number == "" and draft.seq is None and draft.is_draft
    assert informe.number == f"INFORME N° 000001-{year}-MINDEF/OGTIE-INFRA"
    assert informe.draft == draft
    assert AuditEvent.objects.filter(action="document.issue").count() >= 4
    assert AuditEvent.objects.filter(action="document.draft").count() >= 1


def test_blank_kind_or_subject_is_refused_and_nothing_is_written(step: Any) -> None:
    before = Document.objects.count()
    with pytest.raises(InvalidInput) as caught:
        _issue(step, "  ", 20, subject="   ")
    assert set(caught.value.errors) == {"kind", "subject"}
    assert "asunto" in caught.value.errors["subject"][0]
    assert Document.objects.count() == before
    assert not DocumentCounter.objects.filter(family="DOCUMENTO").exists()


def test_one_document_per_effect_of_a_step(step: Any) -> None:
    from django.db import IntegrityError

    _issue(step, "Oficio", 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        _issue(step, "Oficio", 30)


def test_an_overlong_kind_or_subject_is_cut_not_refused(step: Any) -> None:
    document = _issue(step, "Oficio " + "x" * 300, 40, subject="Asunto " * 200)
    assert len(document.kind) == 200 and len(document.subject) <= 500
    assert document.number.startswith("OFICIO N° ")
