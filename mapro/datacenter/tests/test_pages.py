"""HTML pages of the data-center register: list and filters, XLSX export, open visits, the
line and visit pages with their history, and the entry and exit forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mapro.core.testing import ensure_unit, make_user
from mapro.core.xlsx import read_xlsx
from mapro.datacenter.choices import VisitKind
from mapro.datacenter.models import LogbookEntry
from mapro.datacenter.testing import contractor_visit, open_entry, sg_visit
from mapro.datacenter.views import EXPORT_HEADERS, export_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def keeper() -> Client:
    return client_for(make_user("coord-infraestructura"))


def _naive(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def test_list_filters_and_export_read_back_equal(keeper: Client) -> None:
    old = open_entry(
        contractor_visit(company="=Climatización Andina"),
        entered_at=timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0)),
    )
    keeper.post(reverse("datacenter:entry_exit", args=[old.pk]), {"exited_at": "2026-01-10T11:15"})
    new = open_entry(sg_visit())
    page = keeper.get(reverse("datacenter:logbook_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bitácora de ingresos al centro de datos" in text and "2 ingresos" in text
    filtered = keeper.get(reverse("datacenter:logbook_list"), {"abiertos": "on"})
    assert list(filtered.context["rows"]) == [new]

    response = keeper.get(reverse("datacenter:logbook_export"))
    assert response.status_code == 200
    headers, rows = read_xlsx(response.content)
    assert headers == EXPORT_HEADERS
    # openpyxl's read-only rows stop at the last filled cell: pad the empty trailing ones.
    rows = [row + [None] * (len(headers) - len(row)) for row in rows]
    expected = [export_row(e) for e in LogbookEntry.objects.order_by("-entered_at", "-id")]
    assert rows == expected
    assert rows[1][5] == "=Climatización Andina"  # formula-looking text reads back as written
    assert rows[1][2] == dt.datetime(2026, 1, 10, 11, 15)

    only_old = keeper.get(reverse("datacenter:logbook_export"), {"dni": old.dni})
    _, rows = read_xlsx(only_old.content)
    assert [r[0] for r in rows] == [old.pk]


def test_open_visits_page_counts_people_inside(keeper: Client) -> None:
    inside = [open_entry(), open_entry()]
    response = keeper.get(reverse("datacenter:open_entries"))
    assert response.status_code == 200
    assert response.context["count"] == 2
    assert [e.pk for e in response.context["rows"]] == [e.pk for e in inside]
    assert "<strong>2</strong> personas dentro" in response.content.decode()


def test_exit_form_records_and_shows_history(keeper: Client) -> None:
    entry = open_entry(entered_at=timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0)))
    url = reverse("datacenter:entry_exit", args=[entry.pk])
    refused = keeper.post(url, {"exited_at": "2026-01-10T08:59"})
    assert refused.status_code == 400
    assert "no puede ser anterior al ingreso" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.exited_at is None
    done = keeper.post(url, {"exited_at": "2026-01-10T10:30"})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert _naive(entry.exited_at) == dt.datetime(2026, 1, 10, 10, 30)
    detail = keeper.get(reverse("datacenter:entry_detail", args=[entry.pk]))
    actions = [event.action for event in detail.context["history"]]
    assert actions == ["logbook_entry.create", "logbook_entry.exit"]
    assert "Registrar la salida" not in detail.content.decode()


def test_entry_form_on_the_visit_page(keeper: Client) -> None:
    visit = contractor_visit(sctr_until=timezone.localdate() - dt.timedelta(days=3))
    url = reverse("datacenter:visit_entry", args=[visit.pk])
    person = visit.people.get()
    data = {"dni": person.dni, "entered_at": "2026-01-20T08:00", "escort": "Ing. Vargas"}
    page = keeper.get(reverse("datacenter:visit_detail", args=[visit.pk]))
    assert "No puede ingresar" in page.content.decode()
    # The SCTR expired 3 days ago: refused today, but it was in force on 20/01/2026.
    refused = keeper.post(
        url, {**data, "entered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )
    assert refused.status_code == 400
    assert "Documento vencido: SCTR" in refused.content.decode()
    assert not LogbookEntry.objects.exists()
    done = keeper.post(url, data)
    assert done.status_code == 302
    entry = LogbookEntry.objects.get()
    assert done["Location"] == reverse("datacenter:entry_detail", args=[entry.pk])
    history = keeper.get(reverse("datacenter:visit_detail", args=[visit.pk])).context["history"]
    assert history[0].action == "datacenter_visit.create"


@pytest.mark.parametrize("role", ["operador-mesa", "personal", "tecnico-especialista"])
def test_other_roles_get_403(role: str) -> None:
    entry = open_entry()
    client = client_for(make_user(role))
    for url in [
        reverse("datacenter:logbook_list"),
        reverse("datacenter:logbook_export"),
        reverse("datacenter:open_entries"),
        reverse("datacenter:entry_detail", args=[entry.pk]),
        reverse("datacenter:visit_detail", args=[entry.visit_id]),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("datacenter:entry_exit", args=[entry.pk]), {"exited_at": "2026-01-10T10:30"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.exited_at is None


def test_readers_cannot_write_from_the_pages() -> None:
    entry = open_entry()
    client = client_for(make_user("jefe-ogtie"))
    page = client.get(reverse("datacenter:entry_detail", args=[entry.pk]))
    assert page.status_code == 200 and "Registrar la salida" not in page.content.decode()
    response = client.post(
        reverse("datacenter:entry_exit", args=[entry.pk]),
        {"exited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.exited_at is None


def test_anonymous_goes_to_login() -> None:
    response = Client().get(reverse("datacenter:logbook_list"))
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_a_unit_director_out_of_scope_gets_404() -> None:
    dga = ensure_unit("DGA", "Dirección General de Administración")
    digep = ensure_unit("DIGEP", "Dirección de Gestión Patrimonial")
    mine = open_entry(contractor_visit(kind=VisitKind.MANTENIMIENTO_UO, unit=dga))
    theirs = open_entry(contractor_visit(kind=VisitKind.MANTENIMIENTO_UO, unit=digep))
    client = client_for(make_user("director-uo", unit=dga))
    assert client.get(reverse("datacenter:entry_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("datacenter:entry_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("datacenter:visit_detail", args=[theirs.visit_id])).status_code == 404
    _, rows = read_xlsx(client.get(reverse("datacenter:logbook_export")).content)
    assert [r[0] for r in rows] == [mine.pk]


def test_list_queries_do_not_grow_with_rows(
    keeper: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        open_entry()
    keeper.get(reverse("datacenter:logbook_list"))  # warm the grants cache of this client
    with django_assert_max_num_queries(12) as few:
        keeper.get(reverse("datacenter:logbook_list"))
    for _ in range(5):
        open_entry()
    with django_assert_max_num_queries(len(few.captured_queries)):
        keeper.get(reverse("datacenter:logbook_list"))


def test_the_coordinator_records_documents_and_dipec_checks_on_the_page() -> None:
    coord = client_for(make_user("coord-infraestructura"))
    visit = contractor_visit(documents=(), review=None, induction=False)
    page = coord.get(reverse("datacenter:visit_detail", args=[visit.pk]))
    assert "Registrar un documento del contratista" in page.content.decode()
    url = reverse("datacenter:visit_document", args=[visit.pk])
    refused = coord.post(url, {"form": "documento", "kind": "sctr", "valid_until": ""})
    assert refused.status_code == 400
    assert "Indique hasta cuándo está vigente el documento SCTR." in refused.content.decode()
    assert not visit.documents.exists()
    done = coord.post(url, {"form": "documento", "kind": "sctr", "valid_until": "2026-12-31"})
    assert done.status_code == 302
    assert [(d.kind, d.valid_until) for d in visit.documents.all()] == [
        ("sctr", dt.date(2026, 12, 31))
    ]
    url = reverse("datacenter:visit_check", args=[visit.pk])
    refused = coord.post(url, {"kind": "revision", "outcome": "observada", "on": "2026-01-05"})
    assert refused.status_code == 400 and not visit.checks.exists()
    done = coord.post(
        url,
        {"kind": "revision", "outcome": "observada", "on": "2026-01-05", "observations": "CMO."},
    )
    assert done.status_code == 302
    assert visit.checks.get().observations == "CMO."
    history = coord.get(reverse("datacenter:visit_detail", args=[visit.pk])).context["history"]
    assert [e.action for e in history][-2:] == [
        "datacenter_visit.record_document",
        "datacenter_visit.record_dipec_check",
    ]


def test_the_keeper_of_the_logbook_does_not_record_documents() -> None:
    client = client_for(make_user("resp-infraestructura"))
    visit = contractor_visit(documents=())
    page = client.get(reverse("datacenter:visit_detail", args=[visit.pk]))
    assert "Registrar un documento del contratista" not in page.content.decode()
    response = client.post(reverse("datacenter:visit_document", args=[visit.pk]), {"kind": "otro"})
    assert response.status_code == 403 and not visit.documents.exists()
