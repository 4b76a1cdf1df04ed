"""Routing by unit in HTML: the start form offers the requesting unit where the ficha asks for
it (only the units the starter may choose), and task pages offer units and prefill earlier
answers."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mapro.procedures.models import Instance, WorkItem

from .runtime_helpers import FICHA, People, fresh, publish
from .test_routing import ROUTED

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(fresh(user))
    return client


@pytest.fixture
def asking(db: Any) -> None:
    """T.01 with its starts asking for the requesting unit."""
    ficha = copy.deepcopy(FICHA)
    for entry in ficha["starts"]:
        entry["ask_unit"] = "Unidad de organización solicitante"
    publish(ficha)


def unit_options(html: str) -> list[str]:
    start = html.index('name="unit"')
    block = html[start : html.index("</select>", start)]
    return [part.split('"', 1)[0] for part in block.split('<option value="')[1:]]


def test_start_form_offers_only_the_units_within_reach(people: People, asking: Any) -> None:
    page = client_for(people.operador).get(reverse("procedures:procedure_detail", args=["T.01"]))
    html = page.content.decode()
    assert "Unidad de organización solicitante" in html
    assert {"SG", "OGTIE", "DIGEP", "OTRA"} <= set(unit_options(html))
    assert '<option value="OGTIE" selected>' in html  # the starter's own, by default
    own = client_for(people.requester).get(reverse("procedures:procedure_detail", args=["T.01"]))
    assert unit_options(own.content.decode()) == ["DIGEP"]


def test_start_form_without_ask_unit_has_no_unit_choice(people: People, t01: Any) -> None:
    page = client_for(people.operador).get(reverse("procedures:procedure_detail", args=["T.01"]))
    assert 'name="unit"' not in page.content.decode()


def test_start_with_a_unit(people: People, asking: Any) -> None:
    url = reverse("procedures:procedure_start", args=["T.01"])
    response = client_for(people.operador).post(url, {"start": "oficio", "unit": "OTRA"})
    instance = Instance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:instance_detail", args=[instance.pk])
    assert instance.unit == people.otra


def test_start_for_a_unit_out_of_reach_is_403(people: People, asking: Any) -> None:
    url = reverse("procedures:procedure_start", args=["T.01"])
    response = client_for(people.requester).post(url, {"start": "solicitud", "unit": "OTRA"})
    assert response.status_code == 403
    assert not Instance.objects.exists()


def test_start_with_an_unknown_unit_says_so(people: People, asking: Any) -> None:
    url = reverse("procedures:procedure_start", args=["T.01"])
    response = client_for(people.operador).post(
        url, {"start": "oficio", "unit": "NOEXISTE"}, follow=True
    )
    assert "No existe la unidad de organización" in response.content.decode()
    assert not Instance.objects.exists()


def test_task_page_offers_units_and_prefills_earlier_answers(people: People) -> None:
    publish(ROUTED)
    start = reverse("procedures:procedure_start", args=["T.05"])
    assert client_for(people.coord_inn).post(start, {"start": "consulta"}).status_code == 302
    first = WorkItem.objects.get(n=1)
    url = reverse("procedures:task_detail", args=[first.pk])
    page = client_for(people.coord_inn).get(url).content.decode()
    assert '<option value="DIGEP">DIGEP — Dirección General de Educación</option>' in page
    done = client_for(people.coord_inn).post(url, {"unidad": "DIGEP", "oficio": "OF-77"})
    assert done.status_code == 302
    second = WorkItem.objects.get(n=2)
    page = (
        client_for(people.director)
        .get(reverse("procedures:task_detail", args=[second.pk]))
        .content.decode()
    )
    assert 'value="OF-77"' in page
    assert "DIGEP — Dirección General de Educación" in page  # the task's unit
