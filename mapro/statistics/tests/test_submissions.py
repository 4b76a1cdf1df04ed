"""Submissions through API v1: a good file is received, evaluated and consolidated; a bad one
is refused with every error by row and column, and changes nothing; 403 for a period not in
the approved cronograma or an organ the user does not represent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.testing import make_user
from mapro.statistics.models import ConsolidatedRow, Submission
from mapro.statistics.testing import approved_calendar, datasets, personal_csv, representative

URL = "/api/v1/statistics/submissions/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def send(
    user: Any,
    content: bytes,
    *,
    organ: str = "EP",
    period: str = "2026",
    dataset: str = "personal",
    name: str = "personal.csv",
) -> Any:
    return client_for(user).post(
        URL,
        {
            "dataset": dataset,
            "organization": organ,
            "period": period,
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
        format="multipart",
    )


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    datasets()
    reps = {"EP": representative("EP"), "FAP": representative("FAP")}
    approved_calendar(organs=["EP", "FAP"])
    return {"reps": reps, "esp": make_user("esp-estadistico")}


def test_a_good_file_is_received_then_accepted_and_consolidated(world: dict[str, Any]) -> None:
    response = send(world["reps"]["EP"], personal_csv())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"], body["row_count"]) == ("recibido", 1, 3)
    assert ConsolidatedRow.objects.count() == 0  # not before the especialista accepts it
    evaluate = f"{URL}{body['id']}/evaluate/"
    # The representative cannot evaluate their own file.
    assert (
        client_for(world["reps"]["EP"]).post(evaluate, {"accept": True}, format="json").status_code
        == 403
    )
    response = client_for(world["esp"]).post(evaluate, {"accept": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "aceptado"
    rows = ConsolidatedRow.objects.filter(organization__code="EP", period="2026")
    assert sorted(r.values["total"] for r in rows) == [1000, 2000, 5000]
    assert AuditEvent.objects.filter(action="statistics_submission.accept").exists()


def test_a_bad_file_lists_every_error_and_changes_nothing(world: dict[str, Any]) -> None:
    rep = world["reps"]["EP"]
    good = send(rep, personal_csv()).json()
    client_for(world["esp"]).post(f"{URL}{good['id']}/evaluate/", {"accept": True}, format="json")
    bad = personal_csv(
        [
            ["OFICIALES", 900, 100, 1000],
            ["GENERALES", 10, 0, 10],  # a code not in the list
            ["TROPA", "muchos", 500, 5000],  # a wrong type
            ["OFICIALES", 1, 1, 2],  # a duplicated key
            ["CIVILES", 50, 50, 99],  # a total that does not add up
        ]
    )
    response = send(rep, bad)
    assert response.status_code == 400
    body = response.json()
    lines = body["errors"]["file"]
    assert any(
        line.startswith("Fila 3, columna «Categoría»") and "GENERALES" in line for line in lines
    ), lines
    assert any(
        line.startswith("Fila 4, columna «Hombres»") and "número entero" in line for line in lines
    ), lines
    assert any(line.startswith("Fila 5") and "clave" in line for line in lines), lines
    assert body["submission"]["status"] == "rechazado"
    assert body["submission"]["version"] is None
    # The accepted version stays consolidated, untouched.
    rows = ConsolidatedRow.objects.filter(organization__code="EP")
    assert sorted(r.values["total"] for r in rows) == [1000, 2000, 5000]
    assert Submission.objects.get(pk=good["id"]).status == "aceptado"


def test_a_total_that_does_not_add_up_is_refused(world: dict[str, Any]) -> None:
    response = send(world["reps"]["EP"], personal_csv([["CIVILES", 50, 50, 99]]))
    assert response.status_code == 400
    (line,) = response.json()["errors"]["file"]
    assert line.startswith("Fila 2, columna «Total»: El total 99 no es igual a la suma")


def test_a_missing_column_is_refused(world: dict[str, Any]) -> None:
    response = send(
        world["reps"]["EP"],
        personal_csv([["OFICIALES", 900, 1000]], header=["categoria", "hombres", "total"]),
    )
    assert response.status_code == 400
    assert any(
        "Falta la columna «total»" in line or "mujeres" in line
        for line in response.json()["errors"]["file"]
    )


def test_period_not_in_the_calendar_or_organ_not_represented_is_403(
    world: dict[str, Any],
) -> None:
    ep = world["reps"]["EP"]
    assert send(ep, personal_csv(), period="2025").status_code == 403
    assert send(ep, personal_csv(), organ="FAP").status_code == 403
    assert send(make_user("esp-estadistico"), personal_csv()).status_code == 403
    assert not Submission.objects.exists()


def test_observations_go_back_to_the_representative(world: dict[str, Any]) -> None:
    rep = world["reps"]["FAP"]
    sub = send(rep, personal_csv(), organ="FAP").json()
    url = f"{URL}{sub['id']}/evaluate/"
    esp = client_for(world["esp"])
    assert esp.post(url, {"accept": False}, format="json").status_code == 400
    response = esp.post(url, {"accept": False, "observations": "Revise la tropa."}, format="json")
    assert response.json()["status"] == "observado"
    mine = client_for(rep).get(f"{URL}{sub['id']}/").json()
    assert mine["observations"] == "Revise la tropa."
    # The other organ's representative does not see it.
    assert client_for(world["reps"]["EP"]).get(f"{URL}{sub['id']}/").status_code == 404
    assert not ConsolidatedRow.objects.exists()


def test_an_xlsx_file_is_read_like_a_csv(world: dict[str, Any]) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["categoria", "hombres", "mujeres", "total"])
    sheet.append(["OFICIALES", 900, 100, 1000])
    out = io.BytesIO()
    book.save(out)
    response = send(world["reps"]["EP"], out.getvalue(), name="personal.xlsx")
    assert response.status_code == 201, response.content
