"""The account steps of S04.03.01.01/.02 applied to the real directory (``.ci/slapd.sh``).

Each walk completes the steps through API v1, the worker applies the operations, and the test
reads the directory back. The step after an account step waits (409) until the directory has
answered, or until an operator records the operation done by hand.
"""

from __future__ import annotations

from typing import Any

import ldap3
import pytest
from django.test import Client
from django.urls import reverse

from mapro.directory.delivery import apply_due_operations
from mapro.directory.models import DirectoryOperation
from mapro.iam.actions import do_reveal_password
from mapro.iam.models import OneTimeSecret
from mapro.iam.testing import make_account, make_person
from mapro.procedures.testing import API, Walk, client_for, publish_ficha
from mapro.procedures.tests import test_flow_S04_03_01_01 as creation
from mapro.procedures.tests import test_flow_S04_03_01_02 as removal

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db: Any) -> creation.AccountsCast:
    publish_ficha(creation.CODE)
    publish_ficha(removal.CODE)
    return creation.AccountsCast()


def _walk(cast: Any, code: str, acts: dict[int, Any], steps: list[Any], **start: Any) -> Walk:
    walk = Walk(code, cast, starter=start.pop("starter", "personal"), **start)
    for n, extra, _ in steps:
        walk.complete(n, role=acts[n].roles[0], data={**acts[n].data, **extra})
    return walk


def _post(walk: Walk, cast: Any, acts: dict[int, Any], n: int) -> Any:
    return client_for(cast[acts[n].roles[0]]).post(
        f"{API}/tasks/{walk.task_id(n)}/complete/", {"data": acts[n].data}, format="json"
    )


def test_creation_waits_for_the_directory_then_the_account_exists_with_its_password(
    cast: Any, ldap_directory: Any
) -> None:
    steps = [s for s in creation.C_CREACION if s[0] in (1, 2, 4, 7, 9)]
    walk = _walk(cast, creation.CODE, creation.ACTS, steps)
    held = _post(walk, cast, creation.ACTS, 10)
    assert held.status_code == 409
    assert "espera la respuesta del directorio" in held.json()["detail"]
    walk.assert_open(10)

    report = apply_due_operations()
    assert (report.done, report.failed) == (1, 0)
    user = ldap_directory.user("mquispe")
    assert user["employeeNumber"] == ["45871236"] and user["sn"] == ["Quispe Huamán"]
    assert [int(v) for v in user["userAccountControl"]] == [512]
    # The initial password the manager reveals once is the account's password in the directory.
    secret = OneTimeSecret.objects.get()
    _, password = do_reveal_password(secret.pk, actor=cast["profesional-ogtie"])
    ldap3.Connection(ldap_directory.url, user["dn"], password, auto_bind=True).unbind()

    walk.complete(10, role="coord-infraestructura", data=creation.ACTS[10].data)
    page = Client()
    page.force_login(cast["jefe-ogtie"])
    body = page.get(reverse("procedures:instance_detail", args=[walk.id])).content.decode()
    assert "Aplicada en el directorio" in body and "Crear cuenta GS-Usuarios: mquispe" in body


def test_privilege_change_and_removal_join_and_leave_groups_and_disable(
    cast: Any, ldap_directory: Any
) -> None:
    ldap_directory.add_user("mquispe", dni="45871236")  # an account older than the register
    steps = [s for s in creation.B_MODIFICACION if s[0] in (1, 2, 4, 5, 6)]
    walk = _walk(cast, creation.CODE, creation.ACTS, steps)
    apply_due_operations()
    assert [m.split(",")[0].lower() for m in ldap_directory.members("GS-USB")] == ["cn=mquispe"]
    walk.complete(19, role=creation.ACTS[19].roles[0], data=creation.ACTS[19].data)

    # S04.03.01.02, activity 2: the network account disabled, the USB privilege removed.
    leaver = make_person("Jorge Luis", "Paredes Ríos", dni="40125896")
    make_account(leaver, kind="red", account_name="jparedes")
    make_account(leaver, kind="privilegio", privilege="usb", account_name="jparedes")
    ldap_directory.add_user("jparedes", dni="40125896")
    ldap_directory.connection.modify(
        f"cn=GS-USB,{ldap_directory.groups_dn}",
        {"member": [(ldap3.MODIFY_ADD, [f"CN=jparedes,{ldap_directory.users_dn}"])]},
    )
    out = _walk(
        cast,
        removal.CODE,
        removal.ACTS,
        removal.A_CUENTAS[:2],
        start="cuentas",
        starter="profesional-ogtie",
    )
    assert _post(out, cast, removal.ACTS, 3).status_code == 409
    apply_due_operations()
    user = ldap_directory.user("jparedes")
    assert int(user["userAccountControl"][0]) & 2
    assert not user.get("memberOf")
    assert [m.lower() for m in ldap_directory.members("GS-USB")] == [
        f"cn=mquispe,{ldap_directory.users_dn}".lower()
    ]
    # 3 (PST backup), then 4 deletes the account from the directory.
    for n in (3, 4):
        out.complete(n, role=removal.ACTS[n].roles[0], data=removal.ACTS[n].data)
    apply_due_operations()
    assert ldap_directory.user("jparedes") is None
    ops = DirectoryOperation.objects.filter(instance_id=out.id).order_by("id")
    assert [(o.operation, o.status) for o in ops] == [
        ("disable_user", "done"),
        ("remove_groups", "done"),
        ("delete_user", "done"),
    ]


def test_a_refused_operation_holds_until_retried_or_completed_by_hand(
    cast: Any, ldap_directory: Any
) -> None:
    ldap_directory.add_user("mquispe", dni="11111111")  # someone else has the name
    steps = [s for s in creation.C_CREACION if s[0] in (1, 2, 4, 7, 9)]
    walk = _walk(cast, creation.CODE, creation.ACTS, steps)
    apply_due_operations()
    op = DirectoryOperation.objects.get(instance_id=walk.id)
    assert op.status == "failed" and "de otra persona" in op.last_error
    assert _post(walk, cast, creation.ACTS, 10).status_code == 409
    # The held step's page shows the directory's answer.
    task_page = Client()
    task_page.force_login(cast["coord-infraestructura"])
    body = task_page.get(reverse("procedures:task_detail", args=[walk.task_id(10)])).content
    assert "de otra persona" in body.decode() and "Fallida" in body.decode()

    page = Client()
    page.force_login(cast["personal"])  # not a manager of accounts
    assert page.post(f"/directorio/operaciones/{op.pk}/manual/", {"note": "x"}).status_code == 403
    manager = Client()
    manager.force_login(cast["profesional-ogtie"])
    manager.post(f"/directorio/operaciones/{op.pk}/manual/", {"note": ""})
    op.refresh_from_db()
    assert op.status == "failed"  # a manual completion says what was done
    response = manager.post(
        f"/directorio/operaciones/{op.pk}/manual/",
        {"note": "Creada a mano como mquispe2; la ficha se corrige."},
    )
    assert response.status_code == 302
    op.refresh_from_db()
    assert op.status == "manual_done" and op.finished_by == cast["profesional-ogtie"]
    walk.complete(10, role="coord-infraestructura", data=creation.ACTS[10].data)
