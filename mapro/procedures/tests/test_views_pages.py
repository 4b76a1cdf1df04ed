"""Catalogue, procedure page (ficha, BPMN, start), instance page and cancelling, in HTML."""

# The fixtures come from views_helpers: using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from mapro.procedures.models import Instance, InstanceStatus, WorkItemState
from mapro.procedures.views import inventory

from .views_helpers import CODE, cast, open_item, published, start  # noqa: F401

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def inventory_codes() -> list[str]:
    inv = inventory() or {}
    codes = []
    for level1 in inv["level1"]:
        codes += [p["code"] for p in level1.get("procedures", [])]
        for level2 in level1.get("level2", []):
            codes += [p["code"] for p in level2.get("procedures", [])]
    return codes


# --- catalogue -------------------------------------------------------------------------------


def test_catalog_needs_login(published):
    assert login_redirect(Client().get(reverse("procedures:catalog")))


def test_catalog_lists_the_23_procedures_of_the_inventory(published, cast):
    codes = inventory_codes()
    assert len(codes) == 23
    response = client_for(cast.outsider).get(reverse("procedures:catalog"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in codes:
        assert code in html, code
    # Published ones link to their page; the rest are pending.
    for code in ("S04.02.00.03", CODE):
        assert f'href="{reverse("procedures:procedure_detail", args=[code])}"' in html
    assert html.count("Aún no disponible en el sistema") == 21
    assert "S04.03.04 </span>" not in html  # levels render as headings, not procedures
    assert "Gestión de soporte tecnológico" in html
    assert "2 de 23 procedimientos" in html


# --- procedure page --------------------------------------------------------------------------


def test_procedure_page_shows_the_ficha(published, cast):
    response = client_for(cast.outsider).get(reverse("procedures:procedure_detail", args=[CODE]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Contención de ataques SPAM y/o PHISHING" in html
    assert "Contener los ataques de correo no deseado." in html
    assert "Ley N° 30999, Ley de Ciberdefensa" in html
    assert "Reporte de correo sospechoso" in html  # inputs table
    assert "Suplantación para robar datos." in html
    # Activities table: number, name + description, unit name, responsible role names.
    table = html[html.index('class="table table-sm table-bordered align-top activities-table"') :]
    table = table[: table.index("</table>")]
    assert re.search(r'<th scope="row">1</th>\s*<td>\s*<strong>Registrar y clasificar', table)
    assert "Registra el reporte recibido.<br>Clasifica el correo." in table
    assert '<abbr title="Oficina General de TI y Estadística">OGTIE</abbr>' in table
    assert "Operador(a) de mesa de ayuda" in table
    assert "Técnico informático especialista" in table
    assert "¿Es SPAM o PHISHING? Spam: ir a la actividad 2; Phishing: ir a la actividad 3." in table
    assert "Ficha sintética de prueba." in html  # change control
    bpmn = reverse("procedures:procedure_bpmn", args=[CODE])
    assert f'data-bpmn-url="{bpmn}"' in html
    assert f'<a href="{bpmn}" download>' in html
    assert "vendor/bpmn-js/bpmn-viewer.min.js" in html and "mapro/diagram.js" in html
    # The outsider cannot start it: no form.
    assert reverse("procedures:procedure_start", args=[CODE]) not in html


def test_procedure_page_offers_start_to_the_first_role(published, cast):
    response = client_for(cast.operador).get(reverse("procedures:procedure_detail", args=[CODE]))
    html = response.content.decode()
    assert f'action="{reverse("procedures:procedure_start", args=[CODE])}"' in html
    assert 'name="start" value="reporte"' in html


def test_procedure_page_unknown_or_unpublished_is_404(published, cast):
    client = client_for(cast.operador)
    assert (
        client.get(reverse("procedures:procedure_detail", args=["S04.05.00.01"])).status_code == 404
    )
    assert client.get(reverse("procedures:procedure_bpmn", args=["NADA"])).status_code == 404


def test_bpmn_download(published, cast):
    response = client_for(cast.outsider).get(reverse("procedures:procedure_bpmn", args=[CODE]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"] == f'attachment; filename="{CODE}.bpmn"'
    body = response.content.decode()
    assert 'id="Process_S04_04_00_02"' in body and 'id="Activity_1"' in body


def test_start_creates_an_instance_and_redirects(published, cast):
    response = client_for(cast.operador).post(
        reverse("procedures:procedure_start", args=[CODE]), {"start": "reporte"}
    )
    instance = Instance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:instance_detail", args=[instance.pk])
    assert instance.started_by == cast.operador
    assert open_item(instance).n == 1


def test_start_wrong_role_is_403_and_creates_nothing(published, cast):
    response = client_for(cast.outsider).post(
        reverse("procedures:procedure_start", args=[CODE]), {"start": "reporte"}
    )
    assert response.status_code == 403
    assert not Instance.objects.exists()


def test_start_with_unknown_key_shows_a_message(published, cast):
    client = client_for(cast.operador)
    response = client.post(
        reverse("procedures:procedure_start", args=[CODE]), {"start": "otro"}, follow=True
    )
    assert response.status_code == 200
    assert "Forma de inicio desconocida" in response.content.decode()
    assert not Instance.objects.exists()


def test_start_needs_login(published):
    response = Client().post(reverse("procedures:procedure_start", args=[CODE]), {})
    assert login_redirect(response)
    assert not Instance.objects.exists()


# --- instance page ---------------------------------------------------------------------------


def test_instance_page_for_its_people(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    response = client_for(cast.operador2).get(
        reverse("procedures:instance_detail", args=[instance.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Expediente N° {instance.pk}" in html
    assert "En curso" in html
    assert "Reporte de correo sospechoso" in html  # start label
    assert f'href="{reverse("procedures:task_detail", args=[item.pk])}"' in html
    assert "Aún no se ha completado ninguna actividad." in html
    assert 'data-current="[&quot;Activity_1&quot;]"' in html
    assert 'data-completed="[]"' in html
    assert reverse("procedures:instance_bpmn", args=[instance.pk]) in html
    assert "Anular expediente" not in html  # only jefe-ogtie


def test_instance_page_hides_task_links_from_who_cannot_take_them(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    html = (
        client_for(cast.soporte)
        .get(reverse("procedures:instance_detail", args=[instance.pk]))
        .content.decode()
    )
    assert "1. Registrar y clasificar el reporte" in html
    assert reverse("procedures:task_detail", args=[item.pk]) not in html


def test_instance_page_out_of_scope_is_404(published, cast):
    instance = start(cast.operador)
    client = client_for(cast.outsider)
    assert client.get(reverse("procedures:instance_detail", args=[instance.pk])).status_code == 404
    assert client.get(reverse("procedures:instance_bpmn", args=[instance.pk])).status_code == 404
    assert login_redirect(Client().get(reverse("procedures:instance_detail", args=[instance.pk])))


def test_instance_bpmn_is_the_version_it_runs_on(published, cast):
    instance = start(cast.operador)
    response = client_for(cast.operador).get(
        reverse("procedures:instance_bpmn", args=[instance.pk])
    )
    assert response.status_code == 200
    assert response.content.decode() == instance.procedure_version.bpmn_xml
    assert response["Content-Disposition"].startswith("attachment;")


# --- cancelling ------------------------------------------------------------------------------


def test_jefe_cancels_with_a_reason(published, cast):
    instance = start(cast.operador)
    client = client_for(cast.jefe)
    page = client.get(reverse("procedures:instance_detail", args=[instance.pk]))
    assert "Anular expediente" in page.content.decode()
    response = client.post(
        reverse("procedures:instance_cancel", args=[instance.pk]),
        {"reason": "Reporte duplicado."},
        follow=True,
    )
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.CANCELLED
    assert instance.cancel_reason == "Reporte duplicado."
    html = response.content.decode()
    assert f"Se anuló el expediente N° {instance.pk}." in html
    assert "Reporte duplicado." in html and "Anulado" in html
    assert not instance.work_items.filter(state=WorkItemState.OPEN).exists()


def test_cancel_without_reason_shows_the_error_beside_the_field(published, cast):
    instance = start(cast.operador)
    response = client_for(cast.jefe).post(
        reverse("procedures:instance_cancel", args=[instance.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="motivo-error">Indique el motivo de la anulación.' in html
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.RUNNING


def test_cancel_twice_is_a_message(published, cast):
    instance = start(cast.operador)
    client = client_for(cast.jefe)
    url = reverse("procedures:instance_cancel", args=[instance.pk])
    client.post(url, {"reason": "Una vez."})
    response = client.post(url, {"reason": "Otra vez."}, follow=True)
    assert "El expediente ya no está en curso." in response.content.decode()
    instance.refresh_from_db()
    assert instance.cancel_reason == "Una vez."


def test_cancel_wrong_role_is_403_out_of_scope_404(published, cast):
    instance = start(cast.operador)
    url = reverse("procedures:instance_cancel", args=[instance.pk])
    assert client_for(cast.operador).post(url, {"reason": "x"}).status_code == 403
    assert client_for(cast.outsider).post(url, {"reason": "x"}).status_code == 404
    assert login_redirect(Client().post(url, {"reason": "x"}))
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.RUNNING
