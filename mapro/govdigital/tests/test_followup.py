"""Done when: a project's progress over two follow-up periods (S04.01.00.02 walked twice
through API v1, each coordinator reporting its own projects) shows on its page, compared with
the previous period."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from mapro.govdigital.models import FollowUpPeriod, ProjectProgress
from mapro.govdigital.testing import make_plan
from mapro.procedures.testing import API, Cast, Walk, client_for, publish_ficha

CODE = "S04.01.00.02"
TEAMS = {
    "coord-innovacion": "innovacion",
    "coord-infraestructura": "infraestructura",
    "coord-ciberseguridad": "ciberseguridad",
    "coord-estadistica": "estadistica",
}


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    cast = Cast()
    for role in (*TEAMS, "resp-mejora-gd", "jefe-ogtie", "cgd"):
        cast[role]
    return cast


def _follow_up(cast: Cast, label: str, day: str, percent_of: dict[str, int]) -> Walk:
    walk = Walk(CODE, cast, starter="resp-mejora-gd")
    walk.complete(1, role="resp-mejora-gd", data={"fecha_solicitud": day, "periodo": label})
    code_of = {p.team: p.code for p in FollowUpPeriod.objects.get(label=label).plan.projects.all()}
    by_username = {cast[r].username: r for r in TEAMS}
    for task in [t for t in walk.detail()["tasks"] if t["n"] == 2]:
        role = by_username[task["item"]["user"]]
        team = TEAMS[role]
        data = {
            "reporte": f"reporte-{team}",
            "proyectos": [
                {
                    "proyecto": code_of[team],
                    "avance": percent_of[team],
                    "estado": "culminado" if percent_of[team] == 100 else "en_plazo",
                    "comentario": f"Avance de {team} en {label}",
                }
            ],
        }
        response = client_for(cast[role]).post(
            f"{API}/tasks/{task['id']}/complete/", {"data": data}, format="json"
        )
        assert response.status_code == 200, response.content
    walk.assert_open(3)
    return walk


@time_machine.travel("2026-07-01 10:00 -05:00", tick=False)
def test_a_projects_progress_over_two_periods_shows_on_its_page(cast: Cast) -> None:
    plan = make_plan(vigente=True, teams=tuple(TEAMS.values()))
    _follow_up(cast, "Primer semestre 2026", "2026-07-01", {t: 30 for t in TEAMS.values()})
    second = {**{t: 55 for t in TEAMS.values()}, "estadistica": 100}
    _follow_up(cast, "Segundo semestre 2026", "2026-12-01", second)
    assert ProjectProgress.objects.count() == 8
    project = plan.projects.get(team="estadistica")

    # API: the project's history, oldest first, with the change from the previous period.
    response = client_for(cast["coord-innovacion"]).get(f"{API}/pgd/projects/{project.code}/")
    assert response.status_code == 200
    history = response.json()["history"]
    assert [(h["period"], h["percent"], h["delta"], h["state"]) for h in history] == [
        ("Primer semestre 2026", "30.00", None, "en_plazo"),
        ("Segundo semestre 2026", "100.00", "70.00", "culminado"),
    ]
    assert history[1]["reported_by"].startswith(cast["coord-estadistica"].username)

    # The page shows both periods and the change.
    browser = Client()
    browser.force_login(cast["resp-mejora-gd"])
    page = browser.get(f"/gobierno-digital/proyectos/{project.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="avance"') :]
    assert table.index("Primer semestre 2026") < table.index("Segundo semestre 2026")
    assert "+70,00" in table and "Culminado" in table  # es-PE: decimal comma

    # The second period compared with the first, project by project.
    period = FollowUpPeriod.objects.get(label="Segundo semestre 2026")
    detail = client_for(cast["jefe-ogtie"]).get(f"{API}/pgd/periods/{period.pk}/").json()
    assert detail["previous"] == "Primer semestre 2026"
    rows = {row["project"]: row for row in detail["projects"]}
    assert rows[project.code]["delta"] == "70.00" and rows[project.code]["state_changed"] is True
    innovation = plan.projects.get(team="innovacion").code
    assert rows[innovation]["delta"] == "25.00" and rows[innovation]["state_changed"] is False


@time_machine.travel("2026-07-01 10:00 -05:00", tick=False)
def test_follow_up_needs_a_current_plan_and_a_new_period_label(cast: Cast) -> None:
    walk = Walk(CODE, cast, starter="resp-mejora-gd")
    url = f"{API}/tasks/{walk.task_id(1)}/complete/"
    data = {"fecha_solicitud": "2026-07-01", "periodo": "Primer semestre 2026"}
    response = client_for(cast["resp-mejora-gd"]).post(url, {"data": data}, format="json")
    assert response.status_code == 400
    assert "PGD vigente" in response.json()["errors"]["periodo"][0]
    make_plan(vigente=True)
    assert (
        client_for(cast["resp-mejora-gd"]).post(url, {"data": data}, format="json").status_code
        == 200
    )
    again = Walk(CODE, cast, starter="resp-mejora-gd")
    response = client_for(cast["resp-mejora-gd"]).post(
        f"{API}/tasks/{again.task_id(1)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert "ya tiene el periodo" in response.json()["errors"]["periodo"][0]
    assert FollowUpPeriod.objects.count() == 1
