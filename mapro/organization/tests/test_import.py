"""Import of people from CSV and XLSX: all or nothing, every error with its line."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden
from mapro.organization.actions import do_create_person, do_import_people
from mapro.organization.importing import ImportRejected
from mapro.organization.models import Person

pytestmark = pytest.mark.django_db

HEADER = "dni,nombres,apellidos,cargo,unidad,regimen,vigente_desde,vigente_hasta,correo"
GOOD = [
    "41234567,Rosa,Quispe Mamani,Analista,OGTIE-ESTADISTICA,CAS,2024-01-01,,rquispe@mindef.gob.pe",
    "42345678,Juan,Pérez Soto,Asistente,DIGEP,Orden de servicio,01/03/2024,31/12/2024,",
    "43456789,Lucía,Ramos Díaz,,ogrh,nombrado,,,",
]


def _csv(*lines, sep=","):
    text = "\n".join([HEADER, *lines]) + "\n"
    return io.BytesIO(text.replace(",", sep).encode()), "personas.csv"


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, "personas.xlsx"


def test_csv_import_creates_people(org, staff):
    file, name = _csv(*GOOD)
    result = do_import_people(file, actor=staff, filename=name)
    assert len(result.created) == 3 and not result.updated
    rosa = Person.objects.get(dni="41234567")
    assert rosa.unit.code == "OGTIE-ESTADISTICA"
    assert rosa.valid_from == datetime.date(2024, 1, 1) and rosa.valid_until is None
    assert rosa.email == "rquispe@mindef.gob.pe"
    juan = Person.objects.get(dni="42345678")
    assert juan.regime == "orden_servicio"
    assert juan.valid_until == datetime.date(2024, 12, 31)
    assert Person.objects.get(dni="43456789").unit.code == "DGRRHH"  # OGRH alias
    assert AuditEvent.objects.filter(action="person.create", actor=staff).count() == 3
    summary = AuditEvent.objects.get(action="person.import")
    assert summary.after["creadas"] == ["41234567", "42345678", "43456789"]
    assert summary.after["archivo"] == "personas.csv"
    assert len(summary.after["sha256"]) == 64


def test_existing_dni_is_updated_and_unchanged_rows_record_nothing(org, staff):
    do_create_person(
        actor=staff, dni="41234567", first_name="Rosa", last_name="Quispe",
        unit=org["OGTIE"], regime="fag", cargo="Antiguo",
    )  # fmt: skip
    file, name = _csv(*GOOD)
    result = do_import_people(file, actor=staff, filename=name)
    assert [p.dni for p in result.updated] == ["41234567"]
    rosa = Person.objects.get(dni="41234567")
    assert (rosa.unit.code, rosa.regime, rosa.cargo) == ("OGTIE-ESTADISTICA", "cas", "Analista")
    assert Person.objects.count() == 3
    events = AuditEvent.objects.count()
    file, name = _csv(*GOOD)
    again = do_import_people(file, actor=staff, filename=name)
    assert again.unchanged == 3 and not again.created and not again.updated
    assert AuditEvent.objects.count() == events + 1  # the summary only


def test_one_bad_row_imports_nothing_and_every_error_is_reported(org, staff):
    file, name = _csv(
        GOOD[0],
        "1234567,Sin,Dni,,OGTIE,CAS,,,",  # line 3: 7 digits
        GOOD[1],
        "44444444,Ana,Ruiz,,NOEXISTE,CAS,2024-13-01,,",  # line 5: unit and date
        "45555555,,Vega,,OGTIE,Contrato,,,correo-malo",  # line 6: name, regime, email
        "41234567,Rosa,Otra,,OGTIE,CAS,2024-05-01,2024-04-01,",  # line 7: repeated dni, dates
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as exc:
        do_import_people(file, actor=staff, filename=name)
    found = {(e.line, e.column) for e in exc.value.row_errors}
    assert found == {
        (3, "dni"),
        (5, "unidad"), (5, "vigente_desde"),
        (6, "nombres"), (6, "regimen"), (6, "correo"),
        (7, "dni"), (7, "vigente_hasta"),
    }  # fmt: skip
    messages = {(e.line, e.column): e.message for e in exc.value.row_errors}
    assert messages[(3, "dni")] == "El DNI debe tener exactamente 8 dígitos."
    assert messages[(5, "unidad")] == "No existe la unidad «NOEXISTE»."
    assert messages[(7, "dni")] == "DNI repetido: ya aparece en la línea 2."
    assert "Línea 3, columna «dni»" in exc.value.errors["archivo"][0]
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_semicolon_csv_in_windows_1252(org, staff):
    text = "\n".join([HEADER.replace(",", ";"), GOOD[1].replace(",", ";")]) + "\n"
    result = do_import_people(io.BytesIO(text.encode("cp1252")), actor=staff, filename="a.csv")
    assert result.created[0].last_name == "Pérez Soto"


def test_header_problems_are_reported(org, staff):
    file = io.BytesIO(b"dni;nombres;apellido;unidad;regimen;extra\n41234567;A;B;OGTIE;CAS;x\n")
    with pytest.raises(ImportRejected) as exc:
        do_import_people(file, actor=staff, filename="a.csv")
    found = {(e.line, e.column, e.message) for e in exc.value.row_errors}
    assert (1, "apellido", "Columna desconocida.") in found
    assert (1, "extra", "Columna desconocida.") in found
    assert (1, "apellidos", "Falta esta columna obligatoria.") in found


def test_xlsx_import_with_excel_types(org, staff):
    file, name = _xlsx(
        [
            [1234567, "Carlos", "Lima", "Técnico", "OGTIE-INFRAESTRUCTURA", "PAC",
             datetime.datetime(2024, 2, 1), None, None],
            ["42345678", "Juan", "Pérez", None, "DIGEP", "Personal militar", None, None, None],
        ]
    )  # fmt: skip
    result = do_import_people(file, actor=staff, filename=name)
    assert len(result.created) == 2
    carlos = Person.objects.get(dni="01234567")  # Excel dropped the leading zero
    assert carlos.valid_from == datetime.date(2024, 2, 1)
    assert Person.objects.get(dni="42345678").regime == "militar"


def test_xlsx_with_a_bad_row_imports_nothing(org, staff):
    file, name = _xlsx(
        [
            ["41234567", "Rosa", "Quispe", None, "OGTIE", "CAS", None, None, None],
            [None, None, None, None, None, None, None, None, None],  # blank row: skipped
            ["4123", "Mal", "DNI", None, "OGTIE", "CAS", None, None, None],
        ]
    )
    with pytest.raises(ImportRejected) as exc:
        do_import_people(file, actor=staff, filename=name)
    assert [(e.line, e.column) for e in exc.value.row_errors] == [(4, "dni")]
    assert Person.objects.count() == 0


def test_not_a_spreadsheet(org, staff):
    with pytest.raises(ImportRejected) as exc:
        do_import_people(io.BytesIO(b"PK\x03\x04basura"), actor=staff, filename="x.xlsx")
    assert exc.value.row_errors[0].message == "El archivo no es un libro XLSX válido."
    with pytest.raises(ImportRejected):
        do_import_people(io.BytesIO(b""), actor=staff, filename="x.csv")
    with pytest.raises(ImportRejected):
        do_import_people(io.BytesIO(b"x"), actor=staff, filename="x.pdf")


def test_import_is_for_staff_only(org, plain_user):
    for actor in (plain_user, AnonymousUser()):
        file, name = _csv(*GOOD)
        with pytest.raises(Forbidden):
            do_import_people(file, actor=actor, filename=name)
    assert Person.objects.count() == 0


def test_management_command(org, tmp_path, capsys):
    good = tmp_path / "bien.csv"
    good.write_text("\n".join([HEADER, *GOOD]) + "\n", encoding="utf-8")
    call_command("import_people", str(good))
    assert Person.objects.count() == 3
    assert "3 creadas" in capsys.readouterr().out
    assert AuditEvent.objects.get(action="person.import").source == "command"

    bad = tmp_path / "mal.csv"
    bad.write_text("\n".join([HEADER, GOOD[0], "9,X,Y,,OGTIE,CAS,,,"]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_people", str(bad))
    assert "Línea 3, columna «dni»" in capsys.readouterr().err

    with pytest.raises(CommandError):
        call_command("import_people", str(good), "--as", "nadie")


def test_inactive_unit_is_refused_for_new_people_only(org, staff):
    from mapro.organization.actions import do_update_unit

    do_create_person(
        actor=staff, dni="41234567", first_name="Rosa", last_name="Quispe Mamani",
        unit=org["DIPEC"], regime="cas",
    )  # fmt: skip
    do_update_unit(org["DIPEC"], actor=staff, is_active=False)
    file, name = _csv(
        "41234567,Rosa,Quispe Mamani,Jefa,DIPEC,CAS,,,",  # already there: may stay
        "42345678,Juan,Pérez,,DIPEC,CAS,,,",  # new: refused
    )
    with pytest.raises(ImportRejected) as exc:
        do_import_people(file, actor=staff, filename=name)
    assert [(e.line, e.column, e.message) for e in exc.value.row_errors] == [
        (3, "unidad", "La unidad DIPEC no está activa.")
    ]
