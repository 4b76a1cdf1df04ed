"""HTML pages of the official documents: list with filters and export (OGTIE staff), the
printable detail (staff and the instance's starter), the instance page's list; others 403/404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx
from mapro.documents.dates import long_date
from mapro.documents.models import Document
from mapro.documents.testing import issued_oficio
from mapro.documents.views import EXPORT_HEADERS, export_row

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_list_shows_documents_and_filters(oficio: Document) -> None:
    staff = client_for(make_user("resp-soporte"))
    url = reverse("documents:document_list")
    page = staff.get(url)
    assert page.status_code == 200
    assert oficio.number in page.content.decode()
    assert "Proyecto (sin número)" in page.content.decode()
    by_kind = staff.get(url, {"tipo": "Memorándum"}).content.decode()
    assert oficio.number not in by_kind
    assert oficio.number in staff.get(url, {"tipo": "Oficio"}).content.decode()
    assert oficio.number in staff.get(url, {"procedimiento": "S04.02.00.03"}).content.decode()
    assert oficio.number not in staff.get(url, {"procedimiento": "S04.01.00.02"}).content.decode()
    year = str(oficio.year)
    assert oficio.number in staff.get(url, {"anio": year}).content.decode()
    assert oficio.number not in staff.get(url, {"anio": "1999"}).content.decode()
    assert oficio.number in staff.get(url, {"q": "00210"}).content.decode()
    bad = staff.get(url, {"anio": "20x6"})
    assert bad.status_code == 400
    assert "cuatro cifras" in bad.content.decode()


def test_list_is_forbidden_to_non_staff_even_a_starter(own: Document, starter: Any) -> None:
    url = reverse("documents:document_list")
    assert client_for(starter).get(url).status_code == 403
    assert client_for(make_user()).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_detail_is_printable(oficio: Document) -> None:
    url = reverse("documents:document_detail", args=[oficio.pk])
    page = client_for(make_user("resp-bd")).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "MINISTERIO DE DEFENSA" in html
    assert "Oficina General de Tecnologías de la Información" in html
    assert oficio.number in html
    assert long_date(timezone.localtime(oficio.created_at).date()) in html
    assert "N° de oficio (SISTRADOC)" in html
    assert "@media print" in html
    assert "Historial de cambios" in html
    assert client_for(make_user("jefe-ogtie")).get(url).status_code == 200


def test_the_starter_reads_their_instance_documents_only(
    own: Document, oficio: Document, starter: Any
) -> None:
    year = own.year
    # Activity 1 is the U.O.'s ("unit: U.O."): issued by the instance's unit, with the number
    # its unit gave it in SISTRADOC (the form's "oficio"), not one of ours.
    assert own.number == "OFICIO N° 00231-2026-MINDEF/SG-DGRRHH"
    assert own.unit_code == "DIGEP" and own.number_source == "sistradoc" and own.year == year
    mine = client_for(starter).get(reverse("documents:document_detail", args=[own.pk]))
    assert mine.status_code == 200
    html = mine.content.decode()
    assert "Equipos telefónicos solicitados" in html
    assert "Tipo de equipo: Equipo telefónico IP" in html
    other = reverse("documents:document_detail", args=[oficio.pk])
    assert client_for(starter).get(other).status_code == 404


def test_detail_is_404_for_others(oficio: Document, own: Document) -> None:
    url = reverse("documents:document_detail", args=[oficio.pk])
    assert client_for(make_user("coord-innovacion")).get(url).status_code != 404  # staff
    same_unit = make_user("director-uo", unit=own.instance.unit)
    assert (
        client_for(same_unit).get(reverse("documents:document_detail", args=[own.pk])).status_code
        == 404
    )
    assert client_for(make_user("personal")).get(url).status_code == 404
    missing = reverse("documents:document_detail", args=[oficio.pk + 1000])
    assert client_for(make_user("jefe-ogtie")).get(missing).status_code == 404
    assert Client().get(url).status_code == 302


def test_instance_page_lists_its_documents(oficio: Document, own: Document, starter: Any) -> None:
    url = reverse("procedures:instance_detail", args=[oficio.instance_id])
    html = client_for(oficio.instance.started_by).get(url).content.decode()
    assert 'id="documentos-expediente"' in html
    assert reverse("documents:document_detail", args=[oficio.pk]) in html
    assert "Proyecto de oficio (proyecto)" in html
    url = reverse("procedures:instance_detail", args=[own.instance_id])
    html = client_for(starter).get(url).content.decode()
    assert reverse("documents:document_detail", args=[own.pk]) in html


def test_export_reads_back_with_the_filtered_rows(oficio: Document) -> None:
    issued_oficio()  # a second instance: two oficios and two drafts in all
    staff = client_for(make_user("jefe-ogtie"))
    response = staff.get(reverse("documents:document_export"), {"tipo": "Oficio"})
    assert response.status_code == 200
    headers, rows = read_xlsx(response.content)
    assert headers == EXPORT_HEADERS
    expected = [export_row(d) for d in Document.objects.filter(kind="Oficio")]
    assert rows == expected
    assert len(rows) == 2
    assert {row[0] for row in rows} == set(
        Document.objects.filter(kind="Oficio").values_list("number", flat=True)
    )
    assert (
        client_for(make_user("director-uo")).get(reverse("documents:document_export")).status_code
        == 403
    )


def test_menu_entry_roles_are_the_readers() -> None:
    from mapro.core.menu import ENTRIES, REGISTERS
    from mapro.documents.access import READER_ROLES

    entry = next(e for e in ENTRIES if e.url_name == "documents:document_list")
    assert entry.roles == READER_ROLES
    assert entry.group == REGISTERS
