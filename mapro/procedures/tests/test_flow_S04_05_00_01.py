"""S04.05.00.01 Producción y difusión de la información estadística, walked through API v1.

Paths (docs/procedures/S04.05.00.01.md): 1-…-9-10(No)-11-12-13-…-19, then 20 and 21-…-26 in
parallel, joining at 27, then 28-29(No)-30-31-fin; and the loops 10(Sí)→9 and 29(Sí)→28.

The representatives of two organs (EP, FAP) are designated by the list of activity 8 and each
answers their own task of activity 13 (one task per holder of resp-organo-estadistico), after
sending their organ's file; the other's task is 403 to them. The especialista evaluates the
files before activity 15 can close; the document is assembled at 27 (its PDF, rendered to PNG
here, carries the charts) and disseminated at 31 as open data that validates with frictionless.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from mapro.core.testing import make_user
from mapro.procedures.testing import API, Cast, Walk, client_for, inbox_tasks, publish_ficha
from mapro.statistics.models import ConsolidatedRow, Publication
from mapro.statistics.testing import datasets, operaciones_csv, organ, personal_csv

CODE = "S04.05.00.01"
YEAR = 2026
COORD, JEFE, ESP, SG = "coord-estadistica", "jefe-ogtie", "esp-estadistico", "secretario-general"

#: activity → (role, wrong roles, data)
STEPS: dict[int, tuple[str, tuple[str, ...], dict[str, Any]]] = {
    1: (COORD, (JEFE, ESP), {"anio": YEAR, "cronograma_actividades": "adjunto-1"}),
    2: (JEFE, (COORD, "coord-innovacion"), {"fecha_aprobacion": "2026-01-10"}),
    3: (COORD, (ESP, JEFE), {"proyecto_oficio": "adjunto-3", "asunto": "Designación"}),
    4: (JEFE, (COORD, "coord-innovacion"), {"documento_sistradoc": "MEMO N° 010-2026-OGTIE"}),
    5: (SG, (JEFE, COORD), {"fecha_remision": "2026-01-20"}),
    6: (
        SG,
        (JEFE, ESP),
        {
            "oficios_recibidos": [
                {"entidad": "EP", "oficio": "OF. 12-EP"},
                {"entidad": "FAP", "oficio": "OF. 7-FAP"},
            ]
        },
    ),
    7: (JEFE, (COORD, "coord-innovacion"), {}),
    9: (COORD, (JEFE, ESP), {"anio_envio": YEAR}),
    10: (JEFE, (COORD, "coord-innovacion"), {}),
    11: (JEFE, (COORD, "coord-innovacion"), {"documento_sistradoc": "MEMO N° 020-2026-OGTIE"}),
    12: (SG, (JEFE, COORD), {"fecha_aprobacion_cronograma": "2026-02-15"}),
    14: (COORD, (ESP, JEFE), {"especialista": "Lic. Rosa Vela"}),
    15: (ESP, (COORD, JEFE), {"observaciones": "Evaluado con los órganos."}),
    16: (COORD, (ESP, JEFE), {"informe": "adjunto-16", "asunto": "Situación de la evaluación"}),
    17: (JEFE, (COORD, ESP), {}),
    18: (ESP, (COORD, JEFE), {}),
    19: (COORD, (ESP, JEFE), {}),
    20: (
        ESP,
        (COORD, JEFE),
        {
            "tipo_documento": "anuario",
            "periodo": str(YEAR),
            "titulo": f"Anuario Estadístico del Sector Defensa {YEAR}",
        },
    ),
    21: (COORD, (ESP, JEFE), {"proyecto_oficio": "adjunto-21", "asunto": "Diseño de carátulas"}),
    22: (JEFE, (COORD, ESP), {"asunto": "Diseño de carátulas"}),
    23: (COORD, (ESP, JEFE), {"diseno_caratulas": "adjunto-23"}),
    24: (
        JEFE,
        (COORD, ESP),
        {"titulo_caratula": f"Anuario Estadístico {YEAR}", "subtitulo_caratula": "Sector Defensa"},
    ),
    25: (COORD, (ESP, JEFE), {"proyecto_oficio": "adjunto-25", "asunto": "Impresión"}),
    26: (JEFE, (COORD, ESP), {"asunto": "Impresión de fundas y etiquetas"}),
    27: (ESP, (COORD, JEFE), {}),
    28: (COORD, (ESP, JEFE), {"informe_tecnico": "adjunto-28", "asunto": "Informe técnico"}),
    29: (JEFE, (COORD, "coord-innovacion"), {}),
    30: (JEFE, (COORD, "coord-innovacion"), {"documento_sistradoc": "MEMO N° 080-2026-OGTIE"}),
    31: (SG, (JEFE, COORD), {"fecha_aprobacion_documento": "2026-06-30"}),
}


class World:
    def __init__(self) -> None:
        self.cast = Cast()
        for role in (COORD, JEFE, ESP, SG, "coord-innovacion", "resp-organo-estadistico"):
            self.cast[role]
        datasets()
        for code in ("EP", "FAP"):
            organ(code)
        # People of the two organs, registered but not yet designated (activity 8 does it).
        self.reps = {code: make_user(username=f"rep-{code.lower()}") for code in ("EP", "FAP")}
        # The cast's resp-organo-estadistico holder would get a task of 13 too: end it.
        holder = self.cast["resp-organo-estadistico"]
        holder.is_active = False
        holder.save(update_fields=["is_active"])

    def step(self, walk: Walk, n: int, **extra: Any) -> None:
        role, wrong, data = STEPS[n]
        # The instance as the walk last read it (every step here is preceded by a completion
        # or an assert_open): a stale one would make the completion fail, never pass.
        walk.complete(
            n,
            role=role,
            data={**data, **extra},
            wrong=[self.cast[r] for r in wrong],
            current=walk.known(),
        )

    def list_step(self, walk: Walk) -> None:
        rows = [
            {
                "entidad": code,
                "dni": user.person.dni,
                "tipo": "titular",
                "documento": f"OFICIO N° 00{i}-{YEAR}-{code}",
                "vigente_desde": "2026-01-01",
            }
            for i, (code, user) in enumerate(self.reps.items(), start=1)
        ]
        walk.complete(
            8,
            role=COORD,
            data={"representantes": rows},
            wrong=[self.cast[JEFE], self.cast[ESP]],
            current=walk.known(),
        )


def send(user: Any, organ_code: str, dataset: str, content: bytes) -> Any:
    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        f"{API}/statistics/submissions/",
        {
            "dataset": dataset,
            "organization": organ_code,
            "period": str(YEAR),
            "file": SimpleUploadedFile(f"{dataset}.csv", content, content_type="text/csv"),
        },
        format="multipart",
    )


@pytest.fixture
def world(db: Any) -> World:
    publish_ficha(CODE)
    return World()


def _until_13(world: World, walk: Walk, *, observe_calendar: bool = False) -> None:
    for n in range(1, 8):
        world.step(walk, n)
        walk.assert_open(n + 1)
    world.list_step(walk)
    walk.assert_open(9)
    world.step(walk, 9)
    if observe_calendar:
        world.step(walk, 10, hay_observaciones="si", observaciones="Ajustar plazos.")
        walk.assert_open(9)
        world.step(walk, 9)
    world.step(walk, 10, hay_observaciones="no")
    walk.assert_open(11)
    world.step(walk, 11)
    world.step(walk, 12)
    walk.assert_open(13, 13)


def _answer_13(world: World, walk: Walk) -> None:
    tasks = {t["item"]["user"]: t for t in walk.detail()["tasks"] if t["n"] == 13}
    assert sorted(tasks) == ["rep-ep", "rep-fap"]
    ep, fap = world.reps["EP"], world.reps["FAP"]
    url = f"{API}/tasks/{tasks['rep-ep']['id']}/complete/"
    # The EP representative has not sent a valid file yet: refused, the task stays open.
    response = client_for(ep).post(url, {"data": {}}, format="json")
    assert response.status_code == 400
    assert "aún no remite" in response.json()["errors"]["__all__"][0]
    assert send(ep, "EP", "personal", personal_csv()).status_code == 201
    assert send(ep, "EP", "operaciones", operaciones_csv()).status_code == 201
    assert send(fap, "FAP", "personal", personal_csv()).status_code == 201
    # Each answers their own task only.
    assert client_for(fap).post(url, {"data": {}}, format="json").status_code == 403
    assert tasks["rep-ep"]["id"] in {t["id"] for t in inbox_tasks(client_for(ep))}
    assert tasks["rep-ep"]["id"] not in {t["id"] for t in inbox_tasks(client_for(fap))}
    assert (
        client_for(ep).post(url, {"data": {"comentario": "Enviado."}}, format="json").status_code
        == 200
    )
    walk.assert_open(13)
    other = f"{API}/tasks/{tasks['rep-fap']['id']}/complete/"
    assert client_for(world.cast[COORD]).post(other, {"data": {}}, format="json").status_code == 403
    assert client_for(fap).post(other, {"data": {}}, format="json").status_code == 200
    walk.completed += [13, 13]
    walk.assert_open(14)


def _evaluate_all(world: World) -> None:
    esp = client_for(world.cast[ESP])
    for sub in esp.get(f"{API}/statistics/submissions/", {"estado": "recibido"}).json():
        response = esp.post(
            f"{API}/statistics/submissions/{sub['id']}/evaluate/", {"accept": True}, format="json"
        )
        assert response.status_code == 200, response.content


def _walk_to_end(world: World, walk: Walk, *, observe_document: bool = False) -> None:
    world.step(walk, 14)
    walk.assert_open(15)
    # 15 cannot close while files wait for evaluation.
    task = walk.task_id(15)
    response = client_for(world.cast[ESP]).post(
        f"{API}/tasks/{task}/complete/", {"data": {}}, format="json"
    )
    assert response.status_code == 400
    assert "sin evaluar" in response.json()["errors"]["__all__"][0]
    _evaluate_all(world)
    world.step(walk, 15)
    for n in (16, 17, 18):
        world.step(walk, n)
        walk.assert_open(n + 1)
    world.step(walk, 19)
    walk.assert_open(20, 21)  # the parallel split
    for n in (21, 22, 23, 24, 25):
        world.step(walk, n)
        walk.assert_open(20, n + 1)
    world.step(walk, 26)
    walk.assert_open(20)  # the join waits for the content
    world.step(walk, 20)
    walk.assert_open(27)
    world.step(walk, 27)
    walk.assert_open(28)
    world.step(walk, 28)
    if observe_document:
        world.step(walk, 29, hay_observaciones="si", observaciones="Revisar notas.")
        walk.assert_open(28)
        world.step(walk, 28)
    world.step(walk, 29, hay_observaciones="no")
    world.step(walk, 30)
    world.step(walk, 31)
    walk.assert_completed(walk.completed)


def test_main_path_two_organs_each_answer_and_the_document_is_published(
    world: World, tmp_path: Path
) -> None:
    walk = Walk(CODE, world.cast, starter=COORD)
    walk.assert_open(1)
    _until_13(world, walk)
    _answer_13(world, walk)
    _walk_to_end(world, walk)
    assert ConsolidatedRow.objects.filter(organization__code="EP").count() == 3 + 36
    assert ConsolidatedRow.objects.filter(organization__code="FAP").count() == 3
    publication = Publication.objects.get()
    assert publication.status == "publicado"
    assert publication.cover_title == f"Anuario Estadístico {YEAR}"  # approved before it existed
    _pdf_has_the_charts(bytes(publication.pdf), tables=4)
    _open_data_validates(publication, tmp_path)


def test_loops_of_the_two_decisions(world: World) -> None:
    walk = Walk(CODE, world.cast, starter=COORD)
    _until_13(world, walk, observe_calendar=True)
    _answer_13(world, walk)
    _walk_to_end(world, walk, observe_document=True)
    history = [step["n"] for step in walk.detail()["history"]]
    assert history.count(9) == 2 and history.count(28) == 2


def test_decisions_are_asked_as_the_manual_asks(world: World) -> None:
    walk = Walk(CODE, world.cast, starter=COORD)
    for n in range(1, 8):
        world.step(walk, n)
    world.list_step(walk)
    world.step(walk, 9)
    task = walk.task_id(10)
    jefe = client_for(world.cast[JEFE])
    form = jefe.get(f"{API}/tasks/{task}/").json()["form"]
    field = form["properties"]["hay_observaciones"]
    assert field["title"] == "¿Hay observaciones?"
    assert field["oneOf"] == [{"const": "si", "title": "Sí"}, {"const": "no", "title": "No"}]
    response = jefe.post(f"{API}/tasks/{task}/complete/", {"data": {}}, format="json")
    assert response.status_code == 400 and "hay_observaciones" in response.json()["errors"]
    walk.assert_open(10)


def test_a_list_naming_an_unknown_entity_or_person_changes_nothing(world: World) -> None:
    walk = Walk(CODE, world.cast, starter=COORD)
    for n in range(1, 8):
        world.step(walk, n)
    task = walk.task_id(8)
    bad = [
        {
            "entidad": "XYZ",
            "dni": "99999999",
            "tipo": "titular",
            "documento": "OF. 1",
            "vigente_desde": "2026-01-01",
        }
    ]
    response = client_for(world.cast[COORD]).post(
        f"{API}/tasks/{task}/complete/", {"data": {"representantes": bad}}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "representantes.0.entidad" in errors and "representantes.0.dni" in errors
    walk.assert_open(8)
    from mapro.statistics.models import Designation

    assert not Designation.objects.exists()


def test_only_the_coordinator_starts(world: World) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for role in (JEFE, ESP, SG):
        assert client_for(world.cast[role]).post(url, {}, format="json").status_code == 403


def _pdf_has_the_charts(pdf: bytes, *, tables: int) -> None:
    """Every table page of the PDF carries its chart: an image object, and once rendered to
    PNG the chart's area is drawn (not blank)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == 3 + tables  # cover, inner cover, presentation, one page per table
    for index in range(3, 3 + tables):
        page = doc[index]
        images = [o for o in page.get_objects() if o.type == raw.FPDF_PAGEOBJ_IMAGE]
        assert len(images) == 1, index
        png = page.render(scale=2).to_pil()
        buffer = io.BytesIO()
        png.save(buffer, format="PNG")
        from PIL import Image

        picture = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        width, height = picture.size
        chart = picture.crop((0, int(height * 0.08), width, int(height * 0.5)))
        raw_rgb = chart.tobytes()
        colored = sum(
            1
            for i in range(0, len(raw_rgb), 3)
            if abs(raw_rgb[i] - raw_rgb[i + 1]) > 40 or abs(raw_rgb[i + 1] - raw_rgb[i + 2]) > 40
        )
        assert colored > 800, (index, colored)  # bars or lines in color, not an empty box


def _open_data_validates(publication: Publication, tmp_path: Path) -> None:
    from frictionless import Package

    anonymous = APIClient()
    listing = anonymous.get("/estadistica/datos-abiertos/")
    assert listing.status_code == 200 and publication.title in listing.content.decode()
    response = anonymous.get(f"/estadistica/datos-abiertos/{publication.pk}/datapackage.json")
    assert response.status_code == 200
    descriptor = response.json()
    for resource in descriptor["resources"]:
        csv = anonymous.get(f"/estadistica/datos-abiertos/{publication.pk}/{resource['name']}.csv")
        assert csv.status_code == 200
        (tmp_path / f"{resource['name']}.csv").write_bytes(csv.content)
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False))
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])
    assert len(descriptor["resources"]) == 4
