"""Grant, modify and remove accounts: roles, validation, idempotent removal, audit."""

import datetime

import pytest

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.core.testing import make_user
from mapro.iam.actions import do_grant_account, do_modify_account, do_remove_account
from mapro.iam.models import Account
from mapro.iam.selectors import accounts_of
from mapro.iam.testing import make_account, make_person

pytestmark = pytest.mark.django_db


def test_grant_by_managing_role_names_account_and_audits():
    actor = make_user("profesional-ogtie")
    person = make_person("José", "Núñez Ávila")
    account = do_grant_account(person, actor=actor, kind="red", authorizing_documents=["OF-1"])
    assert account.account_name == "jnunez"
    assert account.status == "activa"
    assert account.granted_on == datetime.date.today() or account.granted_on
    event = AuditEvent.objects.filter(action="account.grant", object_id=str(account.pk)).get()
    assert event.after["nombre"] == "jnunez"
    assert event.after["documentos"] == ["OF-1"]


def test_grant_wrong_role_forbidden_and_nothing_created():
    person = make_person()
    with pytest.raises(Forbidden):
        do_grant_account(person, actor=make_user("operador-mesa"), kind="red")
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "nada"}, "kind"),
        ({"kind": "sistema"}, "system_name"),
        ({"kind": "privilegio"}, "privilege"),
        ({"kind": "privilegio", "privilege": "inexistente"}, "privilege"),
        ({"kind": "red", "privilege": "usb"}, "privilege"),
        ({"kind": "red", "regime": "orden_servicio"}, "service_start"),
        (
            {
                "kind": "red",
                "regime": "orden_servicio",
                "service_start": datetime.date(2026, 3, 1),
                "service_end": datetime.date(2026, 2, 1),
            },
            "service_end",
        ),
    ],
)
def test_grant_bad_input_names_field(kwargs, field):
    with pytest.raises(InvalidInput) as err:
        do_grant_account(make_person(), actor=make_user("profesional-ogtie"), **kwargs)
    assert field in err.value.errors
    assert not Account.objects.exists()


def test_grant_duplicate_active_name_rejected():
    make_account(account_name="jperez")
    with pytest.raises(InvalidInput) as err:
        make_account(account_name="jperez")
    assert "account_name" in err.value.errors
    assert Account.objects.count() == 1


def test_remove_is_idempotent_and_audited_once():
    actor = make_user("profesional-ogtie")
    account = make_account()
    removed = do_remove_account(account, actor=actor, reason="Cese")
    assert removed.status == "eliminada"
    assert removed.removed_on is not None
    again = do_remove_account(account, actor=actor, reason="Otra vez")
    assert again.removal_reason == "Cese"
    assert again.removed_on == removed.removed_on
    assert AuditEvent.objects.filter(action="account.remove").count() == 1


def test_remove_by_system_and_wrong_role():
    account = make_account()
    with pytest.raises(Forbidden):
        do_remove_account(account, actor=make_user("personal"), reason="x")
    account.refresh_from_db()
    assert account.status == "activa"
    with pytest.raises(InvalidInput) as err:
        do_remove_account(account, actor=None, reason="  ")
    assert "reason" in err.value.errors
    assert do_remove_account(account, actor=None, reason="Baja RR.HH.").status == "eliminada"


def test_accounts_of_lists_person_accounts():
    person = make_person()
    red = make_account(person)
    vpn = make_account(person, kind="vpn")
    make_account()  # someone else's
    do_remove_account(vpn, actor=None, reason="Fin")
    assert set(accounts_of(person)) == {red, vpn}
    assert list(accounts_of(person, active_only=True)) == [red]


def test_modify_active_account_and_refuse_removed():
    actor = make_user("tecnico-especialista")
    account = make_account(kind="sistema", system_name="SIGA")
    do_modify_account(
        account, actor=actor, changes={"system_name": "SIAF"}, add_documents=["MEMO-2"]
    )
    account.refresh_from_db()
    assert account.system_name == "SIAF"
    assert account.authorizing_documents == ["MEMO-2"]
    with pytest.raises(InvalidInput) as err:
        do_modify_account(account, actor=actor, changes={"status": "eliminada"})
    assert "status" in err.value.errors
    do_remove_account(account, actor=actor, reason="Fin")
    with pytest.raises(InvalidTransition):
        do_modify_account(account, actor=actor, changes={"notes": "x"})
