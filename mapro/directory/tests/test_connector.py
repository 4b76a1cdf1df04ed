"""Operations applied to the real slapd (``.ci/slapd.sh``) and read back; refusals; outages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from mapro.directory.actions import enqueue_operation
from mapro.directory.choices import Operation, OperationStatus
from mapro.directory.delivery import apply_due_operations
from mapro.directory.models import DirectoryOperation

pytestmark = pytest.mark.django_db


def _enqueue(operation: str, username: str, key: str, **kwargs: Any) -> DirectoryOperation:
    with transaction.atomic():
        return enqueue_operation(operation, username, key=key, **kwargs)


PERSON = {
    "givenName": "María Elena",
    "sn": "Quispe Huamán",
    "displayName": "María Elena Quispe Huamán",
    "mail": "mquispe@mindef.gob.pe",
    "employeeNumber": "45871236",
}


def test_create_change_disable_and_delete_read_back(ldap_directory: Any) -> None:
    create = _enqueue(
        Operation.CREATE_USER, "mquispe", "t:create", attributes=PERSON, groups=["GS-Usuarios"]
    )
    report = apply_due_operations()
    assert report.done == 1
    create.refresh_from_db()
    assert create.status == OperationStatus.DONE and "Cuenta creada" in create.result
    user = ldap_directory.user("mquispe")
    assert user is not None
    assert user["displayName"] == ["María Elena Quispe Huamán"]
    assert user["employeeNumber"] == ["45871236"]
    # No initial password available: created disabled (AD's ACCOUNTDISABLE bit).
    assert [int(v) for v in user["userAccountControl"]] == [514]
    assert ldap_directory.members("GS-Usuarios") == [user["dn"]]

    _enqueue(Operation.ADD_GROUPS, "mquispe", "t:usb", groups=["GS-USB", "VPN-Usuarios"])
    apply_due_operations()
    groups = {g.split(",")[0].lower() for g in ldap_directory.user("mquispe")["memberOf"]}
    assert groups == {"cn=gs-usuarios", "cn=gs-usb", "cn=vpn-usuarios"}

    _enqueue(Operation.REMOVE_GROUPS, "mquispe", "t:no-usb", groups=["GS-USB"])
    apply_due_operations()
    assert ldap_directory.members("GS-USB") == []

    disable = _enqueue(Operation.DISABLE_USER, "mquispe", "t:disable")
    apply_due_operations()
    disable.refresh_from_db()
    user = ldap_directory.user("mquispe")
    assert int(user["userAccountControl"][0]) & 2
    assert not user.get("memberOf"), "a disabled account keeps no group"
    assert "quitada de" in disable.result

    _enqueue(Operation.DELETE_USER, "mquispe", "t:delete")
    apply_due_operations()
    assert ldap_directory.user("mquispe") is None
    assert set(DirectoryOperation.objects.values_list("status", flat=True)) == {"done"}


def test_replaying_every_operation_changes_nothing(ldap_directory: Any) -> None:
    _enqueue(
        Operation.CREATE_USER,
        "jperez",
        "r:create",
        attributes={**PERSON, "employeeNumber": "40000001"},
        groups=["GS-Usuarios"],
    )
    _enqueue(Operation.ADD_GROUPS, "jperez", "r:vpn", groups=["VPN-Usuarios"])
    apply_due_operations()
    before = ldap_directory.user("jperez")
    # A worker that died after writing and before recording: the same operations run again.
    DirectoryOperation.objects.update(
        status=OperationStatus.PENDING, next_attempt_at=timezone.now()
    )
    apply_due_operations()
    ops = list(DirectoryOperation.objects.order_by("id"))
    assert [o.status for o in ops] == ["done", "done"]
    assert "ya existía para esta persona" in ops[0].result
    assert ops[1].result == "Ya era miembro de los grupos."
    after = ldap_directory.user("jperez")
    assert after["modifyTimestamp"] == before["modifyTimestamp"]
    assert ldap_directory.members("VPN-Usuarios") == [after["dn"]]


def test_refusals_fail_with_the_directorys_message_and_change_nothing(ldap_directory: Any) -> None:
    ldap_directory.add_user("atorres", dni="41112222")
    duplicate = _enqueue(Operation.CREATE_USER, "atorres", "x:dup", attributes=PERSON)
    unknown_group = _enqueue(
        Operation.CREATE_USER, "nuevo", "x:group", attributes=PERSON, groups=["No-Existe"]
    )
    missing = _enqueue(Operation.ADD_GROUPS, "fantasma", "x:missing", groups=["GS-USB"])
    report = apply_due_operations()
    assert (report.failed, report.done) == (3, 0)
    for op in (duplicate, unknown_group, missing):
        op.refresh_from_db()
        assert op.status == OperationStatus.FAILED
    assert "de otra persona" in duplicate.last_error
    assert "«No-Existe» no existe" in unknown_group.last_error
    assert "«fantasma» no existe" in missing.last_error
    assert ldap_directory.user("nuevo") is None  # nothing half applied
    assert ldap_directory.user("atorres")["employeeNumber"] == ["41112222"]


def test_unreachable_directory_is_retried_or_left_for_manual_completion(
    ldap_directory: Any, settings: Any
) -> None:
    settings.DIRECTORY_URL = "ldap://127.0.0.1:9"  # nothing listens there
    settings.DIRECTORY_TIMEOUT = 2
    op = _enqueue(Operation.CREATE_USER, "lrojas", "u:create", attributes=PERSON)
    report = apply_due_operations()
    op.refresh_from_db()
    assert report.retried == 1 and op.status == OperationStatus.PENDING
    assert "no responde" in op.last_error and op.next_attempt_at > op.created_at
    settings.DIRECTORY_WHEN_DOWN = "manual"
    DirectoryOperation.objects.update(next_attempt_at=op.created_at)
    apply_due_operations()
    op.refresh_from_db()
    assert op.status == OperationStatus.MANUAL
    assert "por completar a mano" in op.result


def test_bad_service_credentials_are_a_clear_retryable_error(
    ldap_directory: Any, settings: Any
) -> None:
    settings.DIRECTORY_BIND_PASSWORD = "incorrecta"
    op = _enqueue(Operation.DISABLE_USER, "alguien", "c:disable")
    apply_due_operations()
    op.refresh_from_db()
    assert op.status == OperationStatus.PENDING
    assert "rechazó las credenciales de la cuenta de servicio" in op.last_error
    assert "incorrecta" not in op.last_error


def test_without_a_directory_operations_are_for_manual_completion(settings: Any) -> None:
    settings.DIRECTORY_URL = ""
    op = _enqueue(Operation.CREATE_USER, "mquispe", "m:create", attributes=PERSON)
    assert op.status == OperationStatus.MANUAL and not op.wait
    assert apply_due_operations().claimed == 0
