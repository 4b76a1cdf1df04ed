"""S04.02.00.03 (Bajas de sistemas) writes the change matrix at activity 7 and retires the
catalogue's systems at activity 9, with where their data and source code went."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mapro.procedures.testing import Cast, client_for, publish_ficha
from mapro.procedures.tests.test_flow_S04_02_00_03 import CODE, Baja, answer_8
from mapro.systems.models import ChangeRecord
from mapro.systems.testing import make_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


def test_retirement_fills_the_matrix_and_marks_the_system_dado_de_baja(cast: Cast) -> None:
    known = make_system("ASIST", unit=cast.ogtie, name="Sistema de Control de Asistencia")
    untouched = make_system("SIGEDOC", unit=cast.ogtie)
    baja = Baja(cast)
    baja.to_activity_8()
    rows = {c.system_name: c for c in ChangeRecord.objects.filter(instance_id=baja.walk.id)}
    assert sorted(rows) == [
        "Intranet antigua",
        "Módulo de viáticos",
        "Sistema de Control de Asistencia",
    ]
    asistencia = rows["Sistema de Control de Asistencia"]
    assert (
        asistencia.system_id,
        asistencia.kind,
        asistencia.status,
        asistencia.system_version,
    ) == (
        known.pk,
        "baja",
        "implementado",
        "2.1",
    )
    assert asistencia.backup_location == "git.mindef.gob.pe/archivo/asistencia"
    assert "Fin de su vida útil" in asistencia.description
    assert rows["Intranet antigua"].system is None  # never in the catalogue: a row all the same
    for task in baja.open_tasks(8):
        user = next(u for u in cast.people() if u.username == task["item"]["user"])
        assert baja.complete(user, task["id"], answer_8("coord")).status_code == 200
    baja.step(9)
    known.refresh_from_db()
    untouched.refresh_from_db()
    assert (known.state, known.decommissioned_on) == ("dado-de-baja", dt.date(2025, 6, 16))
    assert known.data_location == "NAS-01:/backups/asistencia"
    assert known.backup_location == "git.mindef.gob.pe/archivo/asistencia"
    assert untouched.state == "en-desarrollo"
    detail = client_for(cast["jefe-ogtie"]).get(f"/api/v1/systems/{known.pk}/").json()
    assert detail["state"] == "dado-de-baja"
    assert detail["timeline"][-1]["title"] in {
        "Sistema dado de baja",
        "9. Notifica a los usuarios la baja del software",
    }
    assert any(e["title"] == "Sistema dado de baja" for e in detail["timeline"])
