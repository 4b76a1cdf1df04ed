"""A ticket whose procedure cannot start (``StartRefused``: the engine could not open its first
task) — the portal form that *is* the procedure's request stores nothing, neither ticket nor
instance; a ticket that is only the desk's record stays, with an internal note saying why, and
no instance without tasks."""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.exceptions import InvalidInput
from mapro.helpdesk.models import Category, Ticket, TicketAction
from mapro.procedures.models import Instance, WorkItem
from mapro.procedures.tests import ficha_samples
from mapro.procedures.tests.runtime_helpers import publish

from .helpers import category, new_ticket, requester_user

pytestmark = pytest.mark.django_db


def routed_ficha(code: str, first_roles: list[str]) -> dict[str, Any]:
    """Activity 1 registers the ticket and takes its unit from a field nobody gave: the engine
    cannot open it."""
    return ficha_samples.base(
        code,
        name="Solicitud enrutada",
        process={"level1": "S04.03", "level2": None},
        objective="Probar un inicio rechazado.",
        starts=[{"key": "solicitud", "label": "Solicitud", "activity": 1}],
        activities=[
            ficha_samples.act(
                1,
                name="Ingresar ticket de atención",
                unit="U.O.",
                unit_from="unidad",
                roles=first_roles,
                effects=[{"ticket": "create"}],
                next="end",
            )
        ],
    )


def test_the_requests_own_form_stores_nothing_when_its_start_is_refused(org: Any) -> None:
    publish(routed_ficha("T.20", ["personal"]))
    Category.objects.filter(code="soporte-tecnico").update(procedure_code="T.20")
    with pytest.raises(InvalidInput) as err:
        new_ticket(requester_user(), data={})
    assert "no pudo iniciarse" in err.value.message
    assert "toma su unidad del campo 'unidad'" in err.value.message
    assert "No se pudo iniciar el expediente" not in err.value.message  # the cause, once
    assert not Ticket.objects.exists()
    assert not Instance.objects.exists() and not WorkItem.objects.exists()


def test_a_desk_record_ticket_stays_with_a_note_and_no_instance(org: Any) -> None:
    publish(routed_ficha("T.21", ["operador-mesa"]))
    Category.objects.filter(code="soporte-tecnico").update(procedure_code="T.21")
    ticket = new_ticket(requester_user())
    assert Ticket.objects.get().pk == ticket.pk and ticket.instance_id is None
    assert not Instance.objects.exists() and not WorkItem.objects.exists()
    notes = list(TicketAction.objects.filter(ticket=ticket).values_list("body", flat=True))
    assert any(
        n.startswith("No se pudo iniciar el procedimiento T.21: La actividad 1 toma su unidad")
        for n in notes
    ), notes
    assert category("soporte-tecnico").procedure_code == "T.21"
