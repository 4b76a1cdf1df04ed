"""The actions offered on the detail pages: right role, wrong role (403), anonymous (login),
out of scope (404) and bad input (400 on the page, nothing changed)."""

from __future__ import annotations

import pytest
from django.test import Client

from mapro.assets import testing
from mapro.assets.models import BlockEntry, CertAssignment, PhoneAssignment
from mapro.core.testing import make_user

from .helpers import web

pytestmark = pytest.mark.django_db


def test_return_a_phone_from_its_page():
    phone = testing.assigned_phone(testing.other_unit(), holder_name="Ana Rojas")
    url = f"/inventarios/equipos-telefonicos/{phone.pk}/devolver/"
    redes = web(make_user("prof-redes"))
    page = redes.get(f"/inventarios/equipos-telefonicos/{phone.pk}/").content.decode()
    assert "Registrar devolución" in page
    anonymous = Client().post(url, {"holder_name": "Ana Rojas", "reason": "x"})
    assert anonymous.status_code == 302 and "/cuenta/" in anonymous["Location"]
    jefe = web(make_user("jefe-ogtie"))
    assert (
        "Registrar devolución"
        not in jefe.get(f"/inventarios/equipos-telefonicos/{phone.pk}/").content.decode()
    )
    assert jefe.post(url, {"holder_name": "Ana Rojas", "reason": "x"}).status_code == 403
    wrong = redes.post(url, {"holder_name": "Carlos Díaz", "reason": "Cambio"})
    assert wrong.status_code == 400
    assert "no está asignado a Carlos Díaz" in wrong.content.decode()
    assert PhoneAssignment.objects.get().returned_on is None
    done = redes.post(url, {"holder_name": "Ana Rojas", "reason": "Cambio"}, follow=True)
    assert "Devolución del equipo" in done.content.decode()
    assert PhoneAssignment.objects.get().returned_on is not None
    assert redes.post(url, {"holder_name": "Ana Rojas", "reason": "Cambio"}).status_code == 409


def test_director_cannot_return_and_is_out_of_scope_elsewhere():
    unit = testing.other_unit()
    mine = testing.assigned_phone(unit)
    theirs = testing.assigned_phone(testing.far_unit())
    director = web(make_user("director-uo", unit=unit))
    body = {"holder_name": "Ana Rojas", "reason": "x"}
    assert (
        director.post(f"/inventarios/equipos-telefonicos/{mine.pk}/devolver/", body).status_code
        == 403
    )
    assert (
        director.post(f"/inventarios/equipos-telefonicos/{theirs.pk}/devolver/", body).status_code
        == 404
    )
    assert PhoneAssignment.objects.filter(returned_on__isnull=False).count() == 0


def test_conformity_from_the_device_page():
    device = testing.returned_cert_device(testing.person("40000051"))
    url = f"/inventarios/certificado-digital/{device.pk}/conformidad/"
    jefe = web(make_user("jefe-ogtie"))
    assert (
        "Dar conformidad"
        in jefe.get(f"/inventarios/certificado-digital/{device.pk}/").content.decode()
    )
    assert web(make_user("resp-soporte")).post(url).status_code == 403
    assert jefe.post(url).status_code == 302
    assert CertAssignment.objects.get().conformity_on is not None
    again = jefe.post(url)
    assert again.status_code == 409 and "no tiene una devolución" in again.content.decode()


def test_deactivate_a_block_from_its_page():
    entry = testing.block_entry()
    url = f"/inventarios/bloqueos/{entry.pk}/desactivar/"
    tecnico = web(make_user("tecnico-especialista"))
    assert web(make_user("oficial-seguridad-digital")).post(url, {"reason": "x"}).status_code == 403
    empty = tecnico.post(url, {"reason": "  "})
    assert empty.status_code == 400 and "motivo" in empty.content.decode()
    assert BlockEntry.objects.get().active
    assert tecnico.post(url, {"reason": "Falso positivo."}).status_code == 302
    assert not BlockEntry.objects.get().active
    assert web(make_user("personal")).post(url, {"reason": "x"}).status_code == 403
