"""The task page's refusals as the one error mapping shows them (mapro.core.middleware): each a
page of the site's layout, in Spanish, with the right status, and nothing changed."""

# The fixtures come from views_helpers: using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mapro.procedures import html_forms
from mapro.procedures.models import TaskRecord, WorkItemState

from .test_views_tasks import valid_post
from .views_helpers import cast, media, open_item, published, start  # noqa: F401

pytestmark = pytest.mark.django_db

LAYOUT = "· OGTIE MINDEF</title>"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_task_outside_the_users_view_is_the_404_page(published, cast):
    item = open_item(start(cast.operador))
    url = reverse("procedures:task_detail", args=[item.pk])
    for response in (
        client_for(cast.outsider).get(url),
        client_for(cast.outsider).post(url, valid_post()),
    ):
        assert response.status_code == 404
        html = response.content.decode()
        assert LAYOUT in html
        assert "Página no encontrada" in html
        assert "Tarea no encontrada." in html
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN
    assert not TaskRecord.objects.exists()


def test_task_of_another_role_is_the_403_page_naming_why(published, cast):
    item = open_item(start(cast.operador))
    url = reverse("procedures:task_detail", args=[item.pk])
    response = client_for(cast.soporte).post(
        url, valid_post(), HTTP_REFERER=f"http://testserver{url}"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT in html
    assert "Acceso denegado" in html
    assert "No tiene un rol responsable de esta tarea." in html
    assert f'href="http://testserver{url}">Volver a la página anterior' in html
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN
    assert not TaskRecord.objects.exists()


def test_completed_task_is_the_409_page_and_stores_no_upload(published, cast, media):
    instance = start(cast.operador)
    item = open_item(instance)
    url = reverse("procedures:task_detail", args=[item.pk])
    assert client_for(cast.operador).post(url, valid_post(clasificacion="spam")).status_code == 302
    late = client_for(cast.operador2).post(
        url, {**valid_post(), "evidencia": SimpleUploadedFile("tarde.png", b"png")}
    )
    assert late.status_code == 409
    html = late.content.decode()
    assert LAYOUT in html
    assert "Operación no realizada" in html
    assert "La tarea ya no está pendiente (fue completada o anulada)." in html
    assert TaskRecord.objects.count() == 1
    assert not any(p.name == "tarde.png" for p in media.rglob("*") if p.is_file())


def test_a_file_over_the_limit_is_named_with_the_other_errors_and_nothing_runs(
    published, cast, media, monkeypatch
):
    monkeypatch.setattr(html_forms, "MAX_UPLOAD_BYTES", 3)
    instance = start(cast.operador)
    item = open_item(instance)
    response = client_for(cast.operador).post(
        reverse("procedures:task_detail", args=[item.pk]),
        {**valid_post(asunto=""), "evidencia": SimpleUploadedFile("grande.png", b"1234")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="campo-evidencia-error">El archivo supera el tamaño máximo' in html
    assert 'id="campo-asunto-error">Este campo es obligatorio.' in html
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN
    assert not TaskRecord.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_add_row_button_is_refused_on_a_task_of_another_role(published, cast):
    item = open_item(start(cast.operador))
    response = client_for(cast.soporte).post(
        reverse("procedures:task_detail", args=[item.pk]),
        {**valid_post(), "_agregar_fila": "correos"},
    )
    assert response.status_code == 403
    assert "No tiene un rol responsable de esta tarea." in response.content.decode()
