"""The schema → HTML fields and POST → data layer of task forms (mapro.procedures.html_forms)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict

from mapro.procedures import html_forms
from mapro.procedures.ficha.compiler import form_schema
from mapro.procedures.forms import form_errors

from .views_helpers import FICHA


def schema() -> dict[str, Any]:
    return form_schema(copy.deepcopy(FICHA), 1)


def post(**values: str) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in values.items():
        q[key.replace("__", "-")] = value
    return q


def by_name(fields: list[html_forms.FormField]) -> dict[str, html_forms.FormField]:
    return {f.name: f for f in fields}


def test_widgets_follow_the_schema_kinds():
    fields = by_name(html_forms.build_fields(schema(), decision_field="clasificacion"))
    assert {name: f.widget for name, f in fields.items()} == {
        "asunto": "text",
        "detalle": "textarea",
        "cantidad": "integer",
        "puntaje": "number",
        "urgente": "checkbox",
        "fecha": "date",
        "hora": "datetime",
        "evidencia": "file",
        "canal": "radio",  # two options
        "equipo": "select",  # five options
        "correos": "table",
        "clasificacion": "radio",
    }
    assert fields["clasificacion"].is_decision
    assert fields["clasificacion"].label == "¿Es SPAM o PHISHING?"
    assert [o.label for o in fields["clasificacion"].options] == ["Spam", "Phishing"]
    assert fields["asunto"].required and fields["clasificacion"].required
    assert not fields["detalle"].required
    assert fields["detalle"].help == "Lo que informó el usuario."
    assert fields["asunto"].attrs == {"maxlength": 50}
    assert fields["cantidad"].attrs == {"min": 1}
    table = fields["correos"]
    assert table.row_count == 1
    assert [[c.html_name for c in row] for row in table.rows] == [
        ["correos-0-remitente", "correos-0-revisado", "correos-0-adjunto"]
    ]
    assert table.rows[0][0].required and table.rows[0][0].in_row


def test_parse_types_values_and_leaves_blanks_out():
    sub = html_forms.parse_submission(
        schema(),
        post(
            asunto="  Premio  ",
            detalle="línea 1\r\nlínea 2\r\n",
            cantidad="12",
            puntaje="3,5",
            urgente="on",
            fecha="2025-03-01",
            hora="2025-03-01T10:30",
            canal="",
            equipo="laptop",
            clasificacion="spam",
            correos__TOTAL="3",
            correos__0__remitente="",
            correos__1__remitente="a@b.pe",
            correos__1__revisado="on",
            correos__2__remitente="",
        ),
    )
    assert sub.data == {
        "asunto": "Premio",
        "detalle": "línea 1\nlínea 2",
        "cantidad": 12,
        "puntaje": 3.5,
        "urgente": True,
        "fecha": "2025-03-01",
        "hora": "2025-03-01T10:30",
        "equipo": "laptop",
        "clasificacion": "spam",
        "correos": [{"remitente": "a@b.pe", "revisado": True}],
    }
    assert sub.row_map == {"correos": [1]}
    assert sub.raw["asunto"] == "  Premio  "  # shown again as typed
    assert form_errors(schema(), sub.data) == {}


def test_unchecked_box_is_false_and_whole_numbers_stay_integers():
    sub = html_forms.parse_submission(schema(), post(cantidad="7", puntaje="4"))
    assert sub.data["urgente"] is False
    assert sub.data["cantidad"] == 7 and isinstance(sub.data["puntaje"], int)
    assert "correos" not in sub.data  # only empty rows: the list is left out


def test_unparsable_numbers_reach_the_validator_as_text():
    sub = html_forms.parse_submission(schema(), post(cantidad="doce", puntaje="x"))
    assert sub.data["cantidad"] == "doce"
    errors = form_errors(schema(), sub.data)
    assert errors["cantidad"] == ["Debe ser un número entero."]
    assert errors["puntaje"] == ["Debe ser un número."]
    assert errors["asunto"] == ["Este campo es obligatorio."]
    assert errors["clasificacion"] == ["Este campo es obligatorio."]


def test_errors_of_kept_rows_find_their_inputs():
    sub = html_forms.parse_submission(
        schema(),
        post(
            correos__TOTAL="3",
            correos__0__revisado="",
            correos__2__revisado="on",  # row 2 is not empty but misses its remitente
        ),
    )
    assert sub.data["correos"] == [{"revisado": True}]
    errors = form_errors(schema(), sub.data)
    assert errors["correos.0.remitente"] == ["Este campo es obligatorio."]
    mapped = html_forms.html_errors(errors, sub)
    assert mapped["correos-2-remitente"] == ["Este campo es obligatorio."]
    fields = by_name(html_forms.build_fields(schema(), sub.raw, mapped))
    table = fields["correos"]
    assert table.row_count == 3
    assert table.rows[2][0].errors == ["Este campo es obligatorio."]
    assert table.rows[2][1].value == "on"
    assert table.has_errors


def test_uploads_wait_until_stored():
    files = MultiValueDict(
        {
            "evidencia": [SimpleUploadedFile("captura.png", b"png-bytes")],
            "correos-0-adjunto": [SimpleUploadedFile("correo.eml", b"eml")],
            "correos-1-adjunto": [SimpleUploadedFile("vacio.eml", b"")],  # empty: ignored
        }
    )
    sub = html_forms.parse_submission(
        schema(), post(correos__TOTAL="2", correos__0__remitente="x@y.pe"), files
    )
    assert sub.data["evidencia"] == "captura.png"
    assert sub.data["correos"] == [
        {"remitente": "x@y.pe", "revisado": False, "adjunto": "correo.eml"}
    ]
    saved: list[str] = []

    def save(upload: Any) -> str:
        saved.append(upload.read().decode())
        return f"guardado/{upload.name}"

    names = sub.store_files(save)
    assert names == ["guardado/captura.png", "guardado/correo.eml"]
    assert saved == ["png-bytes", "eml"]
    assert sub.data["evidencia"] == "guardado/captura.png"
    assert sub.data["correos"][0]["adjunto"] == "guardado/correo.eml"


def test_a_file_in_an_empty_row_is_not_kept():
    files = MultiValueDict({"correos-0-adjunto": [SimpleUploadedFile("a.eml", b"x")]})
    sub = html_forms.parse_submission(schema(), post(correos__TOTAL="1"), files)
    # The row counts as filled (it has a file), so it is kept and its remitente is missing.
    assert sub.data["correos"] == [{"revisado": False, "adjunto": "a.eml"}]
    assert len(sub.files) == 1


def test_too_large_upload_is_an_error(monkeypatch):
    monkeypatch.setattr(html_forms, "MAX_UPLOAD_BYTES", 3)
    files = MultiValueDict({"evidencia": [SimpleUploadedFile("big.bin", b"12345")]})
    sub = html_forms.parse_submission(schema(), post(), files)
    assert sub.errors["evidencia"][0].startswith("El archivo supera el tamaño máximo")


def test_add_row_and_row_limits():
    raw = {"correos-TOTAL": "2"}
    fields = by_name(html_forms.build_fields(schema(), raw, add_row="correos"))
    assert fields["correos"].row_count == 3
    many = {"correos-TOTAL": "999"}
    fields = by_name(html_forms.build_fields(schema(), many, add_row="correos"))
    assert fields["correos"].row_count == html_forms.MAX_ROWS
    assert not fields["correos"].can_add_row


def test_rendered_form_is_labelled_and_keeps_values():
    sub = html_forms.parse_submission(schema(), post(asunto="<b>Hola</b>", cantidad="0"))
    errors = html_forms.html_errors(form_errors(schema(), sub.data), sub)
    fields = html_forms.build_fields(schema(), sub.raw, errors, decision_field="clasificacion")
    html = render_to_string("procedures/_form_fields.html", {"fields": fields})
    assert '<label class="form-label fw-semibold" for="campo-asunto">Asunto del correo' in html
    assert 'value="&lt;b&gt;Hola&lt;/b&gt;"' in html  # kept, escaped
    assert 'maxlength="50"' in html
    assert 'type="number" step="1"' in html and 'value="0"' in html
    assert 'aria-describedby="campo-cantidad-error"' in html
    assert "Debe ser mayor o igual que 1." in html
    assert '<legend class="form-label fw-semibold fs-6 mb-1">¿Es SPAM o PHISHING?' in html
    assert 'type="radio" name="clasificacion" id="campo-clasificacion-1" value="spam"' in html
    assert '<label class="form-check-label" for="campo-clasificacion-1">Spam</label>' in html
    assert 'type="date"' in html and 'type="datetime-local"' in html
    assert 'type="file" name="evidencia"' in html
    assert '<textarea class="form-control" name="detalle"' in html
    assert 'aria-describedby="campo-detalle-ayuda"' in html
    assert '<option value="servidor">Servidor</option>' in html
    assert 'name="correos-TOTAL" value="1"' in html
    assert 'name="correos-0-remitente"' in html and "Agregar fila" in html
    assert html.count("(obligatorio)") >= 4  # asunto, cantidad, decisión, remitente


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"urgente": True}, [("Es urgente", "Sí")]),
        ({"urgente": False}, [("Es urgente", "No")]),
        ({"clasificacion": "phishing"}, [("¿Es SPAM o PHISHING?", "Phishing")]),
        ({"evidencia": "procedimientos/1/ab/captura.png"}, [("Evidencia", "captura.png")]),
        ({"cantidad": 3, "otro": "x"}, [("Correos recibidos", "3"), ("otro", "x")]),
        ({"fecha": "2025-03-02"}, [("Fecha del reporte", "02/03/2025")]),
        ({"hora": "2025-03-02T09:05"}, [("Fecha y hora de recepción", "02/03/2025 09:05")]),
    ],
)
def test_describe_data_in_spanish(data, expected):
    items = html_forms.describe_data(schema(), data)
    assert [(i.label, i.text) for i in items] == expected


def test_describe_data_lists_rows():
    [item] = html_forms.describe_data(
        schema(), {"correos": [{"remitente": "a@b.pe", "revisado": True}]}
    )
    assert item.label == "Correos sospechosos"
    assert [[(c.label, c.text) for c in row] for row in item.rows] == [
        [("Remitente", "a@b.pe"), ("Revisado", "Sí")]
    ]
