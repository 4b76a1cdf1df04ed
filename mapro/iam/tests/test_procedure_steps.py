"""The steps of S04.03.01.01 and S04.03.01.02 write the register, through API v1.

Data and cast come from the flow tests (``mapro/procedures/tests/test_flow_*.py``); here each
walk checks what the register holds afterwards, and what a step refuses (400, nothing created).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mapro.iam.models import Account, OneTimeSecret
from mapro.iam.testing import make_account, make_person
from mapro.organization.models import Person
from mapro.procedures.models import EffectOutcome
from mapro.procedures.testing import API, Cast, Walk, client_for, publish_ficha, run_path
from mapro.procedures.tests import test_flow_S04_03_01_01 as creation
from mapro.procedures.tests import test_flow_S04_03_01_02 as removal

DNI = "45871236"


@pytest.fixture
def cast(db: Any) -> creation.AccountsCast:
    publish_ficha(creation.CODE)
    return creation.AccountsCast()


def _walk_to(cast: Any, steps: list[Any], acts: dict[int, Any] | None = None) -> Walk:
    """Start S04.03.01.01 and complete ``steps`` (activity, extra data) as their first role."""
    acts = acts or creation.ACTS
    walk = Walk(creation.CODE, cast, starter="personal")
    for n, extra, _ in steps:
        # The instance as the previous completion answered it (nothing else changed it).
        walk.complete(
            n, role=acts[n].roles[0], data={**acts[n].data, **extra}, current=walk.known()
        )
    return walk


def _post(walk: Walk, cast: Any, n: int, data: dict[str, Any]) -> Any:
    act = creation.ACTS[n]
    return client_for(cast[act.roles[0]]).post(
        f"{API}/tasks/{walk.task_id(n)}/complete/", {"data": data}, format="json"
    )


def _outcome(walk: Walk, n: int, kind: str = "register") -> dict[str, Any]:
    row = EffectOutcome.objects.filter(instance_id=walk.id, record__n=n, kind=kind).get()
    return dict(row.detail)


def test_missing_document_cannot_be_accepted_and_the_request_is_returned(cast: Any) -> None:
    request = {**creation.ACTS[1].data, "regimen": "fag", "accesos": [{"tipo": "usb"}]}
    request.pop("evidencia_cibersoldado")
    walk = Walk(creation.CODE, cast, starter="personal")
    walk.complete(1, role="personal", data=request)
    response = _post(walk, cast, 2, {"cumple_requisitos": "si"})
    assert response.status_code == 400
    message = " ".join(response.json()["errors"]["cumple_requisitos"])
    assert "Copia del contrato y/o resolución de designación" in message
    assert "cibersoldado" in message
    walk.assert_open(2)
    walk.complete(2, role="operador-mesa", data={"cumple_requisitos": "no"})
    assert _outcome(walk, 2)["requisitos_faltantes"] == ["contrato_resolucion", "cibersoldado"]
    walk.complete(3, role="operador-mesa", data=creation.ACTS[3].data)
    walk.assert_completed([1, 2, 3])
    assert not Account.objects.exists()
    assert not Person.objects.filter(dni=DNI).exists()


def test_cas_request_needs_the_user_registered_in_mindef(cast: Any) -> None:
    request = {**creation.ACTS[1].data, "regimen": "cas", "accesos": [{"tipo": "red"}]}
    walk = Walk(creation.CODE, cast, starter="personal")
    walk.complete(1, role="personal", data=request)
    response = _post(walk, cast, 2, {"cumple_requisitos": "si"})
    assert response.status_code == 400
    assert "Registro del usuario en el MINDEF" in str(response.json()["errors"])
    walk.complete(
        2, role="operador-mesa", data={"cumple_requisitos": "si", "registrado_mindef": True}
    )
    walk.assert_open(4)


def test_creation_path_grants_accounts_with_dates_links_and_password_link(cast: Any) -> None:
    from mapro.core.testing import ensure_unit
    from mapro.helpdesk.models import Category

    Category.objects.create(
        code="cuentas-accesos",
        name="Cuentas y accesos",
        team=ensure_unit("OGTIE"),
        procedure_code=creation.CODE,
    )
    walk = run_path(creation.CODE, cast, creation.ACTS, creation.C_CREACION, first=[1])
    person = Person.objects.get(dni=DNI)
    assert (person.first_name, person.last_name, person.unit.code) == (
        "María Elena",
        "Quispe Huamán",
        "DGA",
    )
    accounts = {a.kind: a for a in Account.objects.filter(person=person)}
    assert set(accounts) == {"red", "correo"}
    red = accounts["red"]
    assert red.account_name == "mquispe"
    assert accounts["correo"].account_name == "mquispe@mindef.gob.pe"
    assert (red.service_start, red.service_end) == (
        datetime.date(2025, 7, 1),
        datetime.date(2025, 9, 30),
    )
    assert red.is_due_for_removal  # the order ended in 2025
    assert [i.pk for i in red.instances.all()] == [walk.id]
    assert [t.instance_id for t in red.tickets.all()] == [walk.id]
    assert any("SGSI-FOR-027" in d for d in red.authorizing_documents)
    secret = OneTimeSecret.objects.get()
    assert secret.account == red and secret.recipient == cast["profesional-ogtie"]
    assert _outcome(walk, 9)["nombres"] == ["mquispe", "mquispe@mindef.gob.pe"]
    page = Client()
    page.force_login(cast["jefe-ogtie"])
    html = page.get(reverse("iam:account_detail", args=[red.pk])).content.decode()
    ticket = red.tickets.get()
    assert reverse("helpdesk:ticket_detail", args=[ticket.number]) in html
    assert reverse("procedures:instance_detail", args=[walk.id]) in html


def test_creation_names_accounts_by_the_rule_when_not_given(cast: Any) -> None:
    walk = _walk_to(cast, [*creation.NUEVA, (7, {"datos_correctos": "si_cuentas"}, [9])])
    data = {**creation.ACTS[9].data, "cuentas": [{"tipo": "red"}, {"tipo": "correo"}]}
    make_account(make_person("Mario", "Quispe Rojas"), account_name="mquispe")
    walk.complete(9, role="profesional-ogtie", data=data)
    names = set(Account.objects.filter(person__dni=DNI).values_list("account_name", flat=True))
    # The mail account follows the person's network account.
    assert names == {"mquispe2", "mquispe2@mindef.gob.pe"}


def test_special_access_needs_the_secretary_generals_authorization(cast: Any) -> None:
    walk = _walk_to(cast, [*creation.NUEVA, (7, {"datos_correctos": "si_cuentas"}, [9])])
    data = {**creation.ACTS[9].data, "cuentas": [{"tipo": "red"}, {"tipo": "usb"}]}
    response = _post(walk, cast, 9, data)
    assert response.status_code == 400
    assert "Secretario General" in str(response.json()["errors"]["cuentas"])
    assert not Account.objects.exists() and not OneTimeSecret.objects.exists()
    walk.assert_open(9)


def test_special_access_granted_with_the_authorization(cast: Any) -> None:
    extra = {"datos_correctos": "si_cuentas", "autorizacion_sg": "adjunto-autorizacion-sg"}
    walk = _walk_to(cast, [*creation.NUEVA, (7, extra, [9])])
    data = {**creation.ACTS[9].data, "cuentas": [{"tipo": "red"}, {"tipo": "usb"}]}
    walk.complete(9, role="profesional-ogtie", data=data)
    usb = Account.objects.get(kind="privilegio")
    assert (usb.privilege, usb.account_name) == ("usb", "mquispe")
    assert any("Secretario General" in d for d in usb.authorizing_documents)


def test_modification_path_grants_the_updated_privilege_only(cast: Any) -> None:
    walk = run_path(creation.CODE, cast, creation.ACTS, creation.B_MODIFICACION, first=[1])
    granted = list(Account.objects.values_list("kind", "privilege", "account_name"))
    assert granted == [("privilegio", "usb", "mquispe")]
    assert _outcome(walk, 6)["no_otorgados"] == 1


def test_vpn_path_creates_the_vpn_user_and_its_inventory_record(cast: Any) -> None:
    walk = run_path(creation.CODE, cast, creation.ACTS, creation.E_VPN_NUEVO, first=[1])
    vpn = Account.objects.get(kind="vpn")
    assert vpn.account_name == "vpn.mquispe" and vpn.status == "activa"
    assert vpn.regime == "cas"
    assert list(vpn.instances.values_list("pk", flat=True)) == [walk.id]
    assert OneTimeSecret.objects.get().account == vpn
    record = _outcome(walk, 17, "document")
    assert record["usuarios"] == ["vpn.mquispe"]
    assert record["registro"].startswith("/cuentas-y-accesos/vpn/creados/exportar/?desde=")


VPN_STEPS = [*creation.VPN, (13, {"usuario_vpn_existe": "no"}, [15])]


def test_vpn_user_already_in_the_inventory_is_refused(cast: Any) -> None:
    person = make_person("María Elena", "Quispe Huamán", dni=DNI)
    make_account(person, kind="vpn", account_name="vpn.mq")
    walk = _walk_to(cast, VPN_STEPS)
    response = _post(walk, cast, 15, creation.ACTS[15].data)
    assert response.status_code == 400
    assert "actividad 14" in str(response.json()["errors"]["usuario_vpn"])
    assert Account.objects.count() == 1


def test_inventory_step_refuses_a_user_never_created(cast: Any) -> None:
    walk = _walk_to(cast, [*VPN_STEPS, (15, {}, [16]), (16, {}, [17])])
    data = {"usuarios_vpn": [{"usuario_vpn": "vpn.mquispe"}, {"usuario_vpn": "vpn.fantasma"}]}
    response = _post(walk, cast, 17, data)
    assert response.status_code == 400
    # The form offers only the users activity 15 recorded (choices_from) and refuses others.
    errors = response.json()["errors"]
    assert list(errors) == ["usuarios_vpn.1.usuario_vpn"]
    assert "actividad 15: vpn.mquispe." in errors["usuarios_vpn.1.usuario_vpn"][0]
    task = client_for(cast["operador-mesa"]).get(f"{API}/tasks/{walk.task_id(17)}/").json()
    row = task["form"]["properties"]["usuarios_vpn"]["items"]["properties"]["usuario_vpn"]
    assert [choice["const"] for choice in row["oneOf"]] == ["vpn.mquispe"]


# --- S04.03.01.02 ------------------------------------------------------------------------------


@pytest.fixture
def removal_cast(db: Any) -> Cast:
    publish_ficha(removal.CODE)
    return Cast()


def test_vpn_removal_path_removes_the_vpn_user(removal_cast: Cast) -> None:
    person = make_person("Jorge", "Paredes Luna", dni="40125896")
    vpn = make_account(person, kind="vpn", account_name="vpn.jparedes")
    other = make_account(person)
    walk = run_path(
        removal.CODE, removal_cast, removal.ACTS, removal.B_VPN_ACTIVO, first=[5], start="vpn"
    )
    vpn.refresh_from_db()
    assert vpn.status == "eliminada" and vpn.removed_on is not None
    assert walk.id in set(vpn.instances.values_list("pk", flat=True))
    other.refresh_from_db()
    assert other.status == "activa"
    record = _outcome(walk, 9, "document")
    assert record["registro"].startswith("/cuentas-y-accesos/vpn/eliminados/exportar/")


def test_leaver_path_removes_the_named_accounts(removal_cast: Cast) -> None:
    person = make_person("Jorge", "Paredes Luna", dni="40125896")
    red = make_account(person, account_name="jparedes")
    usb = make_account(person, kind="privilegio", privilege="usb", account_name="jparedes")
    keep = make_account(person, kind="vpn", account_name="vpn.jparedes")
    walk = run_path(
        removal.CODE, removal_cast, removal.ACTS, removal.A_CUENTAS, first=[1], start="cuentas"
    )
    for account in (red, usb, keep):
        account.refresh_from_db()
    assert (red.status, usb.status, keep.status) == ("eliminada", "eliminada", "activa")
    assert red.removed_on == datetime.date(2025, 9, 1) or red.removed_on == red.granted_on
    assert _outcome(walk, 2)["no_registradas"] == []


def test_a_name_already_taken_is_reported_on_the_steps_field(cast: Any) -> None:
    make_account(make_person("Mario", "Quispe Rojas"), account_name="mquispe")
    walk = _walk_to(cast, [*creation.NUEVA, (7, {"datos_correctos": "si_cuentas"}, [9])])
    response = _post(walk, cast, 9, creation.ACTS[9].data)
    assert response.status_code == 400
    assert "mquispe" in " ".join(response.json()["errors"]["cuentas"])
    assert Account.objects.count() == 1 and not OneTimeSecret.objects.exists()
