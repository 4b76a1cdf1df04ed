"""Test helpers of the data-center register: visits made through the real actions.

``contractor_visit()`` gives a maintenance visit of OGTIE's equipment whose person may enter
today (every required document in force, DIPEC review and induction «conforme»); its options
take pieces away. ``sg_visit()`` a high-level visit already authorised. ``open_entry()`` an entry
without exit. Everything is written by the system (``actor=None``), as a procedure step would.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from mapro.core.testing import ensure_unit

from . import actions
from .choices import REQUIRED_DOCUMENTS, CheckKind, CheckOutcome, DocumentKind, VisitKind
from .models import LogbookEntry, Visit

_dni = itertools.count(40_000_001)


def next_dni() -> str:
    """A DNI no other helper call has used in this test run."""
    return f"{next(_dni):08d}"


def contractor_visit(
    *,
    kind: str = VisitKind.MANTENIMIENTO_OGTIE,
    unit: Any = None,
    dni: str | None = None,
    company: str = "Energía Continua S.A.",
    high_risk: bool = False,
    documents: tuple[str, ...] | None = None,
    sctr_until: dt.date | None = None,
    review: str | None = CheckOutcome.CONFORME,
    induction: bool = True,
    ticket_number: str = "MA-2026-000123",
) -> Visit:
    """A contractor visit with one person (``dni``); by default everything is in order."""
    today = timezone.localdate()
    visit = actions.do_create_visit(
        actor=None,
        system=True,
        kind=kind,
        purpose="Cambio de baterías del UPS.",
        company=company,
        high_risk=high_risk,
        unit=unit or ensure_unit("OGTIE"),
        people=[{"full_name": "Luis Campos Díaz", "dni": dni or next_dni()}],
        ticket_number=ticket_number,
    )
    kinds = list(REQUIRED_DOCUMENTS) if documents is None else list(documents)
    if documents is None and high_risk:
        kinds.append(DocumentKind.CV_PREVENCIONISTA)
    for doc in kinds:
        until = None
        if doc == DocumentKind.SCTR:
            until = sctr_until or today + dt.timedelta(days=90)
        elif doc == DocumentKind.CERTIFICADO_MEDICO:
            until = today + dt.timedelta(days=180)
        actions.do_record_contractor_document(
            visit, actor=None, system=True, kind=doc, valid_until=until, reference=f"{doc}.pdf"
        )
    if kind == VisitKind.MANTENIMIENTO_OGTIE:
        if review is not None:
            actions.do_record_dipec_check(
                visit,
                actor=None,
                system=True,
                kind=CheckKind.REVISION,
                outcome=review,
                on=today - dt.timedelta(days=3),
                observations="" if review == CheckOutcome.CONFORME else "Falta firma.",
            )
        if induction:
            actions.do_record_dipec_check(
                visit,
                actor=None,
                system=True,
                kind=CheckKind.INDUCCION,
                outcome=CheckOutcome.CONFORME,
                on=today,
            )
    return visit


def sg_visit(*, authorized: bool = True, dni: str | None = None) -> Visit:
    """A high-level visit (start «visita-sg») in SG, authorised by the Jefe(a) unless told."""
    sg = ensure_unit("SG", "Secretaría General")
    return actions.do_create_visit(
        actor=None,
        system=True,
        kind=VisitKind.VISITA_SG,
        purpose="Visita de inspección.",
        unit=sg,
        authorized_on=timezone.localdate() if authorized else None,
        people=[{"full_name": "Carlos Mendoza Ruiz", "dni": dni or next_dni(), "company": "VRD"}],
    )


def open_entry(
    visit: Visit | None = None, *, actor: Any = None, entered_at: dt.datetime | None = None
) -> LogbookEntry:
    """An entry of the visit's first person (an hour ago by default), still without exit."""
    visit = visit or contractor_visit()
    person = visit.people.order_by("id").first()
    assert person is not None
    return actions.do_record_entry(
        visit,
        actor=actor,
        dni=person.dni,
        entered_at=entered_at or timezone.now() - dt.timedelta(hours=1),
        escort="Ing. Vargas (infraestructura)",
    )
