"""'Mis tareas' and the task page: the form from the activity's schema, completing it in HTML."""

# The fixtures come from views_helpers: using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mapro.procedures.models import TaskRecord, WorkItem, WorkItemState

from .views_helpers import CODE, cast, media, open_item, published, start  # noqa: F401

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def valid_post(**extra: Any) -> dict[str, Any]:
    data = {
        "asunto": "Premio de lotería",
        "detalle": "Pide datos bancarios.",
        "cantidad": "3",
        "puntaje": "7,5",
        "urgente": "on",
        "fecha": "2025-03-01",
        "hora": "2025-03-01T09:15",
        "canal": "correo",
        "equipo": "laptop",
        "clasificacion": "phishing",
        "correos-TOTAL": "2",
        "correos-0-remitente": "premios@falso.pe",
        "correos-0-revisado": "on",
        "correos-1-remitente": "",
    }
    data.update(extra)
    return data


# --- inbox -----------------------------------------------------------------------------------


def test_inbox_needs_login():
    response = Client().get(reverse("procedures:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_inbox_lists_the_open_tasks_of_my_roles(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    response = client_for(cast.operador2).get(reverse("procedures:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("procedures:task_detail", args=[item.pk])}"' in html
    assert "1. Registrar y clasificar el reporte" in html
    assert CODE in html and "Contención de ataques SPAM y/o PHISHING" in html
    assert f"N° {instance.pk}" in html
    assert "hace 0" not in html and "Sin plazo" in html  # the due date, not the age
    assert "task-overdue" not in html
    other = client_for(cast.soporte).get(reverse("procedures:inbox")).content.decode()
    assert "No tiene tareas pendientes." in other
    assert reverse("procedures:task_detail", args=[item.pk]) not in other


def test_inbox_highlights_overdue_and_shows_when_it_was_due(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    past = timezone.now() - datetime.timedelta(days=2, hours=1)
    WorkItem.objects.filter(pk=item.pk).update(created_at=past, due_at=past)
    html = client_for(cast.operador).get(reverse("procedures:inbox")).content.decode()
    assert "task-overdue" in html
    assert "1 vencida" in html
    local = timezone.localtime(past).strftime("%d/%m/%Y %H:%M")
    assert "Vencida</strong> desde el <time datetime=" in html and local in html


def test_inbox_query_count_is_constant(published, cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start(cast.operador)
    client = client_for(cast.operador)
    url = reverse("procedures:inbox")
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).content.decode().count("Registrar y clasificar") == 1
    for _ in range(4):
        start(cast.operador)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("Registrar y clasificar") == 5


def test_inbox_shows_one_page_and_links_to_the_next(published, cast, monkeypatch):
    from mapro.procedures import selectors

    monkeypatch.setattr(selectors, "INBOX_PAGE_SIZE", 2)
    items = [open_item(start(cast.operador)) for _ in range(3)]
    client = client_for(cast.operador)
    url = reverse("procedures:inbox")
    first = client.get(url).content.decode()
    links = [reverse("procedures:task_detail", args=[item.pk]) for item in items]
    assert [link in first for link in links] == [True, True, False]
    assert "Se muestran 2 tareas pendientes; hay más en las páginas siguientes." in first
    marker = f'rel="next" href="{url}?cursor='
    assert marker in first
    cursor = first.split(marker, 1)[1].split('"', 1)[0]
    second = client.get(f"{url}?cursor={cursor}").content.decode()
    assert [link in second for link in links] == [False, False, True]
    assert 'rel="next"' not in second
    assert "Primeras tareas" in second
    # a cursor that is not ours goes back to the first page
    response = client.get(f"{url}?cursor=nada")
    assert (response.status_code, response["Location"]) == (302, url)


# --- task page -------------------------------------------------------------------------------


def test_task_page_renders_the_form(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    response = client_for(cast.operador2).get(reverse("procedures:task_detail", args=[item.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Registra el reporte recibido.<br>Clasifica el correo." in html  # ficha description
    assert "Operador(a) de mesa de ayuda" in html
    # Decision: the manual's question as legend, branch titles as radio labels.
    assert "¿Es SPAM o PHISHING?" in html
    assert '<label class="form-check-label" for="campo-clasificacion-1">Spam</label>' in html
    assert '<label class="form-check-label" for="campo-clasificacion-2">Phishing</label>' in html
    assert 'for="campo-asunto">Asunto del correo' in html
    assert 'name="cantidad"' in html and 'name="correos-0-remitente"' in html
    assert "Aún no se ha completado ninguna actividad." in html  # history so far


def test_completing_through_the_form(published, cast, media):
    instance = start(cast.operador)
    item = open_item(instance)
    upload = SimpleUploadedFile("captura.png", b"\x89PNG-data", content_type="image/png")
    client = client_for(cast.operador2)
    response = client.post(
        reverse("procedures:task_detail", args=[item.pk]), {**valid_post(), "evidencia": upload}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:instance_detail", args=[instance.pk])
    record = TaskRecord.objects.get(instance=instance)
    stored = record.data.pop("evidencia")
    assert record.data == {
        "asunto": "Premio de lotería",
        "detalle": "Pide datos bancarios.",
        "cantidad": 3,
        "puntaje": 7.5,
        "urgente": True,
        "fecha": "2025-03-01",
        "hora": "2025-03-01T09:15",
        "canal": "correo",
        "equipo": "laptop",
        "clasificacion": "phishing",
        "correos": [{"remitente": "premios@falso.pe", "revisado": True}],
    }
    assert stored.startswith(f"procedimientos/{instance.pk}/") and stored.endswith("captura.png")
    with default_storage.open(stored) as handle:
        assert handle.read() == b"\x89PNG-data"
    assert record.completed_by == cast.operador2
    item.refresh_from_db()
    assert item.state == WorkItemState.COMPLETED
    assert open_item(instance).n == 3  # phishing → notify the oficial
    page = client.get(response["Location"]).content.decode()
    assert "Actividad 1 completada" in page
    assert "Completada por <strong>" in page
    assert "¿Es SPAM o PHISHING?" in page and "Phishing" in page  # data in Spanish
    assert "Ticket: se registra" in page
    assert 'data-completed="[&quot;Activity_1&quot;]"' in page
    assert 'data-current="[&quot;Activity_3&quot;]"' in page


def test_invalid_form_shows_errors_and_changes_nothing(published, cast, media):
    instance = start(cast.operador)
    item = open_item(instance)
    version = instance.version
    upload = SimpleUploadedFile("captura.png", b"data")
    response = client_for(cast.operador).post(
        reverse("procedures:task_detail", args=[item.pk]),
        {
            **valid_post(asunto="", cantidad="0", puntaje="mucho", clasificacion=""),
            "evidencia": upload,
            "correos-1-revisado": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No se guardó: revise los campos marcados." in html
    assert 'id="campo-asunto-error">Este campo es obligatorio.' in html
    assert 'id="campo-cantidad-error">Debe ser mayor o igual que 1.' in html
    assert 'id="campo-puntaje-error">Debe ser un número.' in html
    assert 'id="campo-clasificacion-error">Este campo es obligatorio.' in html
    assert 'id="campo-correos-1-remitente-error">Este campo es obligatorio.' in html
    # Submitted values are kept.
    assert 'value="mucho"' in html and 'value="premios@falso.pe"' in html
    assert 'value="laptop" selected' in html
    assert "Había seleccionado «captura.png»" in html
    # Nothing changed, nothing stored.
    item.refresh_from_db()
    instance.refresh_from_db()
    assert item.state == WorkItemState.OPEN and instance.version == version
    assert not TaskRecord.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_add_row_keeps_values_and_saves_nothing(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    response = client_for(cast.operador).post(
        reverse("procedures:task_detail", args=[item.pk]),
        {**valid_post(), "_agregar_fila": "correos"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="correos-TOTAL" value="3"' in html
    assert 'name="correos-2-remitente"' in html
    assert 'value="premios@falso.pe"' in html
    assert "No se guardó" not in html
    assert not TaskRecord.objects.exists()


def test_task_wrong_role_out_of_scope_and_anonymous(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    url = reverse("procedures:task_detail", args=[item.pk])
    # resp-soporte sees the instance (an OGTIE role) but may not take the task.
    assert client_for(cast.soporte).get(url).status_code == 403
    assert client_for(cast.soporte).post(url, valid_post()).status_code == 403
    # personal of another unit does not even see it.
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.outsider).post(url, valid_post()).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert (
        client_for(cast.operador).get(reverse("procedures:task_detail", args=[999999])).status_code
        == 404
    )
    assert not TaskRecord.objects.exists()


def test_task_already_completed(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    url = reverse("procedures:task_detail", args=[item.pk])
    assert client_for(cast.operador).post(url, valid_post(clasificacion="spam")).status_code == 302
    late = client_for(cast.operador2).post(url, valid_post())
    assert late.status_code == 409
    html = late.content.decode()
    assert "La tarea ya no está pendiente (fue completada o anulada)." in html
    assert "No se guardó ningún cambio." in html
    assert TaskRecord.objects.count() == 1
    page = client_for(cast.operador2).get(url)
    assert page.status_code == 200
    assert "Esta tarea ya fue completada" in page.content.decode()
    assert open_item(instance).n == 2  # spam → bloquear


def test_task_without_form_fields_is_a_confirmation(published, cast):
    instance = start(cast.operador)
    item = open_item(instance)
    client_for(cast.operador).post(
        reverse("procedures:task_detail", args=[item.pk]), valid_post(clasificacion="spam")
    )
    second = open_item(instance)
    client = client_for(cast.tecnico)
    html = client.get(reverse("procedures:task_detail", args=[second.pk])).content.decode()
    assert "Esta actividad no pide datos" in html
    assert "Premio de lotería" in html  # history so far
    response = client.post(reverse("procedures:task_detail", args=[second.pk]), {})
    assert response.status_code == 302
    instance.refresh_from_db()
    assert instance.status == "completed"
