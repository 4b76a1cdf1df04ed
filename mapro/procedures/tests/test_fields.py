"""One definition per field: the DNI format, consistent formats, and ``choices_from``."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mapro.core.exceptions import InvalidInput
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.ficha.fields import check_fields
from mapro.procedures.forms import form_errors
from mapro.procedures.models import WorkItem, WorkItemState
from mapro.procedures.task_forms import task_form

from .runtime_helpers import FICHA, fresh, publish

DNI_FORM = {
    "type": "object",
    "required": ["dni"],
    "properties": {"dni": {"type": "string", "title": "DNI", "format": "dni", "maxLength": 8}},
}


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["12A", "1234567", "123456789", "1234567a", " 12345678"])
def test_a_dni_field_refuses_what_the_person_register_refuses(bad):
    errors = form_errors(DNI_FORM, {"dni": bad})
    assert list(errors) == ["dni"]
    assert "El DNI debe tener exactamente 8 dígitos." in errors["dni"]


def test_a_dni_field_takes_eight_digits():
    assert form_errors(DNI_FORM, {"dni": "01234567"}) == {}


def _acts(*forms: dict[str, Any]) -> dict[int, tuple[int, dict[str, Any]]]:
    return {i + 1: (i, {"n": i + 1, "form": form}) for i, form in enumerate(forms)}


def _form(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def test_a_field_with_a_checked_format_has_one_definition():
    acts = _acts(
        _form(fecha={"type": "string", "format": "date"}),
        _form(fecha={"type": "string", "format": "date-time"}),
    )
    [(path, message)] = check_fields(acts)
    assert path == ("activities", 1, "form", "properties", "fecha")
    assert "una sola definición" in message and "actividad 1" in message


def test_a_dni_field_must_say_so_even_inside_a_list():
    acts = _acts(
        _form(
            personas={
                "type": "array",
                "items": {"type": "object", "properties": {"dni": {"type": "string"}}},
            }
        )
    )
    [(path, message)] = check_fields(acts)
    assert path[-1] == "dni" and "format: dni" in message


def test_plain_text_fields_may_repeat_with_other_shapes():
    acts = _acts(_form(nota={"type": "string"}), _form(nota={"type": "string", "maxLength": 9}))
    assert check_fields(acts) == []


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("usuario", "'<actividad>.<campo>'"),
        ("9.usuario", "otra actividad"),
        ("2.usuario", "otra actividad"),  # itself
        ("1.inexistente", "no tiene el campo de texto"),
        ("1.lista.otro", "no tiene el campo de texto"),
    ],
)
def test_choices_from_must_name_a_text_field_of_another_activity(value, fragment):
    acts = _acts(
        _form(
            usuario={"type": "string"},
            lista={"type": "array", "items": {"type": "object", "properties": {}}},
        ),
        _form(elegido={"type": "string", "choices_from": value}),
    )
    problems = check_fields(acts)
    assert len(problems) == 1 and fragment in problems[0][1]
    assert problems[0][0][-1] == "choices_from"


# -- choices_from at run time ---------------------------------------------------------------------

#: T.05: activity 1 records the accounts created (a list); activity 2 picks them, not retypes.
CHOICES = copy.deepcopy(FICHA)
CHOICES["code"] = "T.05"
CHOICES["starts"] = [{"key": "solicitud", "label": "Solicitud", "activity": 1}]
CHOICES["activities"] = [
    {
        "n": 1,
        "name": "Crear las cuentas",
        "unit": "OGTIE",
        "roles": ["operador-mesa"],
        "form": _form(
            cuentas={
                "type": "array",
                "title": "Cuentas",
                "items": {
                    "type": "object",
                    "properties": {"usuario": {"type": "string", "title": "Usuario"}},
                },
            }
        ),
        "next": 2,
    },
    {
        "n": 2,
        "name": "Registrar las cuentas",
        "unit": "OGTIE",
        "roles": ["operador-mesa"],
        "form": {
            "type": "object",
            "required": ["registro"],
            "properties": {
                "registro": {
                    "type": "array",
                    "title": "Registro",
                    "items": {
                        "type": "object",
                        "properties": {
                            "usuario": {
                                "type": "string",
                                "title": "Usuario",
                                "choices_from": "1.cuentas.usuario",
                            }
                        },
                    },
                }
            },
        },
        "next": "end",
    },
]


def _second_task(people: Any, accounts: list[str]) -> WorkItem:
    instance = do_start_instance("T.05", data={}, actor=fresh(people.operador))
    first = instance.work_items.get(state=WorkItemState.OPEN)
    do_complete_task(
        first.pk, {"cuentas": [{"usuario": a} for a in accounts]}, actor=fresh(people.operador)
    )
    return WorkItem.objects.select_related("instance__procedure_version").get(
        instance=instance, state=WorkItemState.OPEN
    )


@pytest.mark.django_db
def test_a_later_step_offers_and_accepts_only_what_was_recorded(people):
    publish(CHOICES)
    item = _second_task(people, ["jperez", "mrojas"])
    row = task_form(item)["properties"]["registro"]["items"]["properties"]["usuario"]
    assert row["oneOf"] == [
        {"const": "jperez", "title": "jperez"},
        {"const": "mrojas", "title": "mrojas"},
    ]
    with pytest.raises(InvalidInput) as err:
        do_complete_task(
            item.pk,
            {"registro": [{"usuario": "jperez"}, {"usuario": "jperes"}]},
            actor=fresh(people.operador),
        )
    assert list(err.value.errors) == ["registro.1.usuario"]
    assert "jperez, mrojas" in err.value.errors["registro.1.usuario"][0]
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN
    do_complete_task(item.pk, {"registro": [{"usuario": "mrojas"}]}, actor=fresh(people.operador))
    item.refresh_from_db()
    assert item.state == WorkItemState.COMPLETED


@pytest.mark.django_db
def test_with_nothing_recorded_the_field_stays_free_text(people):
    publish(CHOICES)
    item = _second_task(people, [])
    row = task_form(item)["properties"]["registro"]["items"]["properties"]["usuario"]
    assert "oneOf" not in row
    do_complete_task(item.pk, {"registro": [{"usuario": "otro"}]}, actor=fresh(people.operador))
