"""The scheduled comparison of the real directory (slapd) with the register and HR's leavers."""

from __future__ import annotations

import datetime
from typing import Any

import ldap3
import pytest
from django.test import Client
from django.urls import reverse

from mapro.core.testing import make_user
from mapro.hr.actions import do_reconcile_directory
from mapro.hr.models import Reconciliation, ReconciliationDifference
from mapro.iam.actions import do_remove_account
from mapro.iam.testing import make_account, make_person
from mapro.procedures.models import Instance
from mapro.procedures.testing import publish_ficha

pytestmark = pytest.mark.django_db


def test_findings_of_the_directory_and_starting_the_removal(
    ldap_directory: Any, pinned_clock: Any
) -> None:
    # In order: a registered active account (no finding), an account nobody registered, an
    # enabled account of a person whose term ended, an enabled account the register removed,
    # and a disabled account still in a group.
    ok = make_person("Ana", "Soto Ríos", dni="40000011")
    make_account(ok, account_name="asoto")
    ldap_directory.add_user("asoto", dni="40000011")
    ldap_directory.add_user("fantasma", dni="49999999", displayName="Cuenta Fantasma")
    gone = make_person("Luis", "Paz Vera", dni="40000022")
    make_account(gone, account_name="lpaz")
    gone.valid_until = datetime.date(2026, 5, 31)
    gone.save(update_fields=["valid_until"])
    ldap_directory.add_user("lpaz", dni="40000022")
    removed = make_account(make_person("Eva", "Luna Cruz", dni="40000033"), account_name="eluna")
    do_remove_account(removed, actor=None, reason="Cese")
    ldap_directory.add_user("eluna", dni="40000033")
    holder = make_person("Raúl", "Díaz Mora", dni="40000044")
    make_account(holder, account_name="rdiaz")
    dn = ldap_directory.add_user("rdiaz", dni="40000044", enabled=False)
    ldap_directory.connection.modify(
        f"cn=GS-USB,{ldap_directory.groups_dn}", {"member": [(ldap3.MODIFY_ADD, [dn])]}
    )

    reconciliation = do_reconcile_directory()
    assert reconciliation is not None and reconciliation.source == "directorio"
    assert reconciliation.rows_count == 5
    found = {(d.kind, d.accounts) for d in reconciliation.differences.all()}
    assert found == {
        ("dir_sin_registro", "fantasma"),
        ("dir_cesado_habilitada", "lpaz"),
        ("dir_cesado_habilitada", "eluna"),
        ("dir_deshabilitada_con_grupos", "rdiaz (GS-USB)"),
    }

    # A finding starts S04.03.01.02 ("cuentas") with the person; only once, only the role.
    publish_ficha("S04.03.01.02")
    difference = ReconciliationDifference.objects.get(accounts="lpaz")
    url = reverse("hr:difference_start", args=[difference.pk])
    reader = Client()
    reader.force_login(make_user("esp-seguridad-info"))
    assert reader.post(url).status_code == 403
    starter = Client()
    starter.force_login(make_user("profesional-ogtie"))
    response = starter.post(url)
    assert response.status_code == 302
    difference.refresh_from_db()
    instance = Instance.objects.get(pk=difference.instance_id)
    assert instance.procedure_code == "S04.03.01.02" and instance.start_key == "cuentas"
    assert instance.unit == gone.unit
    starter.post(url)
    assert Instance.objects.count() == 1
    page = starter.get(reverse("hr:reconciliation_detail", args=[reconciliation.pk]))
    assert f"expediente N° {instance.pk}" in page.content.decode()


def test_without_a_directory_nothing_is_compared(settings: Any) -> None:
    settings.DIRECTORY_URL = ""
    assert do_reconcile_directory() is None
    assert not Reconciliation.objects.exists()
