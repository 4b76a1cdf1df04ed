"""Validating submitted task data against the form subset, with Spanish field errors."""

from __future__ import annotations

import pytest

from mapro.core.exceptions import InvalidInput
from mapro.procedures.forms import REQUIRED_MESSAGE, UNKNOWN_MESSAGE, check_form_data, form_errors

FORM = {
    "type": "object",
    "required": ["oficio", "tipo"],
    "properties": {
        "oficio": {"type": "string", "title": "N° de oficio", "maxLength": 10},
        "detalle": {"type": "string", "title": "Detalle", "format": "textarea"},
        "cantidad": {"type": "integer", "title": "Cantidad", "minimum": 1, "maximum": 5},
        "monto": {"type": "number", "title": "Monto"},
        "urgente": {"type": "boolean", "title": "¿Urgente?"},
        "fecha": {"type": "string", "title": "Fecha", "format": "date"},
        "hora": {"type": "string", "title": "Fecha y hora", "format": "date-time"},
        "adjunto": {"type": "string", "title": "Adjunto", "format": "file"},
        "tipo": {
            "type": "string",
            "title": "Tipo",
            "oneOf": [
                {"const": "spam", "title": "Spam"},
                {"const": "phishing", "title": "Phishing"},
            ],
        },
        "equipos": {
            "type": "array",
            "title": "Equipos",
            "items": {
                "type": "object",
                "required": ["serie"],
                "properties": {"serie": {"type": "string", "title": "Serie"}},
            },
        },
    },
}

VALID = {
    "oficio": "OF-123",
    "detalle": "Texto largo\ncon saltos",
    "cantidad": 3,
    "monto": 10.5,
    "urgente": False,
    "fecha": "2025-02-28",
    "hora": "2025-02-28T10:30:00-05:00",
    "adjunto": "adjunto:42",
    "tipo": "phishing",
    "equipos": [{"serie": "ABC"}, {"serie": "DEF"}],
}


def test_valid_data_passes_unchanged():
    assert form_errors(FORM, VALID) == {}
    assert check_form_data(FORM, VALID) == VALID


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"oficio": 5}, "oficio", "texto"),
        ({"oficio": "x" * 11}, "oficio", "10 caracteres"),
        ({"oficio": "   "}, "oficio", "obligatorio"),
        ({"cantidad": 0}, "cantidad", "mayor o igual que 1"),
        ({"cantidad": 6}, "cantidad", "menor o igual que 5"),
        ({"cantidad": 2.5}, "cantidad", "entero"),
        ({"monto": "diez"}, "monto", "número"),
        ({"urgente": "si"}, "urgente", "sí o no"),
        ({"fecha": "2025-02-30"}, "fecha", "fecha válida"),
        ({"fecha": "28/02/2025"}, "fecha", "fecha válida"),
        ({"hora": "2025-02-28"}, "hora", "fecha y hora"),
        ({"hora": "ayer"}, "hora", "fecha y hora"),
        ({"tipo": "malware"}, "tipo", "spam, phishing"),
        ({"equipos": [{"serie": "A"}, {}]}, "equipos.1.serie", "obligatorio"),
        ({"equipos": [{"serie": "A", "color": "rojo"}]}, "equipos.0.color", "no reconocido"),
        ({"equipos": "A"}, "equipos", "lista"),
    ],
)
def test_each_kind_of_error_in_spanish(change, field, fragment):
    data = {**VALID, **change}
    errors = form_errors(FORM, data)
    assert list(errors) == [field], errors
    assert any(fragment in message for message in errors[field]), errors


def test_missing_required_and_unknown_fields():
    errors = form_errors(FORM, {"desconocido": 1})
    assert errors == {
        "oficio": [REQUIRED_MESSAGE],
        "tipo": [REQUIRED_MESSAGE],
        "desconocido": [UNKNOWN_MESSAGE],
    }


def test_empty_form_accepts_only_an_empty_object():
    empty = {"type": "object", "properties": {}}
    assert form_errors(empty, {}) == {}
    assert form_errors(empty, {"x": 1}) == {"x": [UNKNOWN_MESSAGE]}


@pytest.mark.parametrize("data", [None, [], "texto", 3])
def test_data_must_be_an_object(data):
    with pytest.raises(InvalidInput) as err:
        check_form_data(FORM, data)
    assert list(err.value.errors) == ["__all__"]


def test_schema_is_not_mutated():
    before = repr(FORM)
    form_errors(FORM, {"x": 1})
    assert repr(FORM) == before


def test_a_keyed_form_builds_its_validator_once_and_still_refuses_bad_data():
    from mapro.procedures import forms

    schema = {
        "type": "object",
        "properties": {"motivo": {"type": "string"}},
        "required": ["motivo"],
    }
    key = ("prueba", 1)
    forms._validators.pop(key, None)
    assert check_form_data(schema, {"motivo": "ok"}, key=key) == {"motivo": "ok"}
    built = forms._validators[key]
    with pytest.raises(InvalidInput) as refused:
        check_form_data(schema, {"otro": "x"}, key=key)
    assert refused.value.errors == {"motivo": [REQUIRED_MESSAGE], "otro": [UNKNOWN_MESSAGE]}
    assert forms._validators[key] is built  # the same validator, not a new one per call
    # Another key is another form: its own validator, its own rules.
    other = {"type": "object", "properties": {"otro": {"type": "string"}}}
    assert check_form_data(other, {"otro": "x"}, key=("prueba", 2)) == {"otro": "x"}
    assert forms._validators[("prueba", 2)] is not built


def test_step_form_is_built_once_per_published_version_and_activity(db):
    from mapro.procedures import actions
    from mapro.procedures.ficha.compiler import form_schema

    from . import ficha_samples as s
    from .runtime_helpers import publish

    version = publish(s.multi())
    key, schema = actions.step_form(version, 1)
    assert key == (version.pk, version.content_hash, 1)
    assert schema == form_schema(version.ficha, 1)
    assert actions.step_form(version, 1)[1] is schema
    assert actions.step_form(version, 2)[1] == form_schema(version.ficha, 2)
