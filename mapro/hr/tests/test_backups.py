"""PST backup before the physical deletion from the AD (S04.03.01.02, activities 3 and 4)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.core.testing import make_user
from mapro.hr.actions import do_record_directory_deletion, do_record_mailbox_backup
from mapro.hr.models import DirectoryDeletion, MailboxBackup
from mapro.iam.models import Account

pytestmark = pytest.mark.django_db

BACKED_UP = datetime.datetime(2026, 9, 1, 16, 20, tzinfo=datetime.UTC)


def _backup(actor: Any, person: Any, **extra: Any) -> MailboxBackup:
    values = {
        "person": person,
        "mailbox": "jparedes@mindef.gob.pe",
        "location": r"\\NAS-02\pst\2026\jparedes.pst",
        "backed_up_at": BACKED_UP,
        **extra,
    }
    return do_record_mailbox_backup(actor=actor, **values)


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_backup_records_where_when_and_who(leaver):
    soporte = make_user("resp-soporte")
    backup = _backup(soporte, leaver, size_mb="2150.5")
    assert (backup.dni, backup.person_name) == ("40125896", "Jorge Luis Paredes Ríos")
    assert backup.location == r"\\NAS-02\pst\2026\jparedes.pst"
    assert backup.backed_up_at == BACKED_UP
    assert backup.recorded_by == soporte
    assert str(backup.size_mb) == "2150.50"
    event = AuditEvent.objects.get(action="mailbox_backup.record")
    assert event.actor_id == soporte.pk
    assert event.after["ubicacion"] == backup.location


def test_a_wrong_role_may_not_record_backups_or_deletions(leaver):
    mesa = make_user("operador-mesa")
    with pytest.raises(Forbidden):
        _backup(mesa, leaver)
    with pytest.raises(Forbidden):
        do_record_directory_deletion(
            actor=mesa, person=leaver, account_name="jparedes", deleted_on=datetime.date.today()
        )
    assert not MailboxBackup.objects.exists()


def test_backup_fields_are_required_and_nothing_is_written():
    with pytest.raises(InvalidInput) as excinfo:
        do_record_mailbox_backup(
            actor=make_user("resp-soporte"), mailbox="", location=" ", backed_up_at=None
        )
    assert set(excinfo.value.errors) == {"mailbox", "location", "backed_up_at", "person_name"}
    assert not MailboxBackup.objects.exists()


def test_the_deletion_is_refused_while_the_backup_is_not_recorded(leaver):
    soporte = make_user("resp-soporte")
    with pytest.raises(InvalidInput) as excinfo:
        do_record_directory_deletion(
            actor=soporte,
            person=leaver,
            account_name="jparedes",
            deleted_on=datetime.date(2026, 9, 30),
        )
    assert "backup" in excinfo.value.errors
    assert "regístrelo antes" in excinfo.value.errors["backup"][0]
    assert not DirectoryDeletion.objects.exists()
    assert Account.objects.get(account_name="jparedes").status == "activa"


def test_after_the_backup_the_deletion_is_recorded_and_the_register_updated(leaver):
    soporte = make_user("resp-soporte")
    backup = _backup(soporte, leaver)
    deletion = do_record_directory_deletion(
        actor=soporte,
        dni="40125896",
        account_name="jparedes",
        deleted_on=datetime.date(2026, 9, 30),
    )
    assert deletion.backup == backup
    assert deletion.person == leaver
    account = Account.objects.get(account_name="jparedes")
    assert account.status == "eliminada"
    # The register never dates a removal before the grant (the test granted it today).
    assert account.removed_on == max(datetime.date(2026, 9, 30), account.granted_on)
    assert Account.objects.get(account_name="vpn.jparedes").status == "activa"
    event = AuditEvent.objects.get(action="directory_deletion.record")
    assert event.after["backup_pst"] == backup.pk
    assert event.after["registro_de_cuentas"] == [account.pk]
    # Once per account.
    with pytest.raises(InvalidInput) as excinfo:
        do_record_directory_deletion(
            actor=soporte, person=leaver, account_name="jparedes", deleted_on=datetime.date.today()
        )
    assert "account_name" in excinfo.value.errors
    assert DirectoryDeletion.objects.count() == 1


def test_the_deletion_cannot_precede_the_backup(leaver):
    soporte = make_user("resp-soporte")
    _backup(soporte, leaver)
    with pytest.raises(InvalidInput) as excinfo:
        do_record_directory_deletion(
            actor=soporte,
            person=leaver,
            account_name="jparedes",
            deleted_on=datetime.date(2026, 8, 1),
        )
    assert "deleted_on" in excinfo.value.errors
    assert not DirectoryDeletion.objects.exists()


def test_a_late_evening_backup_counts_on_limas_day_not_utcs(leaver):
    """22:30 in Lima is 03:30 UTC the next day: a deletion the same Lima day is accepted."""
    soporte = make_user("resp-soporte")
    _backup(
        soporte, leaver, backed_up_at=datetime.datetime(2026, 10, 2, 3, 30, tzinfo=datetime.UTC)
    )
    with pytest.raises(InvalidInput) as excinfo:  # the Lima day before the backup
        do_record_directory_deletion(
            actor=soporte,
            person=leaver,
            account_name="jparedes",
            deleted_on=datetime.date(2026, 9, 30),
        )
    assert "(2026-10-01)" in excinfo.value.errors["deleted_on"][0]
    deletion = do_record_directory_deletion(
        actor=soporte, person=leaver, account_name="jparedes", deleted_on=datetime.date(2026, 10, 1)
    )
    assert deletion.deleted_on == datetime.date(2026, 10, 1)


def test_api_records_a_backup_then_a_deletion(leaver):
    client = _client(make_user("resp-soporte"))
    refused = client.post(
        "/api/v1/hr/directory-deletions/",
        {"dni": "40125896", "account_name": "jparedes", "deleted_on": "2026-09-30"},
        format="json",
    )
    assert refused.status_code == 400
    assert "backup" in refused.json()["errors"]
    created = client.post(
        "/api/v1/hr/mailbox-backups/",
        {
            "dni": "40125896",
            "mailbox": "jparedes@mindef.gob.pe",
            "location": r"\\NAS-02\pst\jparedes.pst",
            "backed_up_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    done = client.post(
        "/api/v1/hr/directory-deletions/",
        {"dni": "40125896", "account_name": "jparedes", "deleted_on": str(timezone.localdate())},
        format="json",
    )
    assert done.status_code == 201, done.content
    assert DirectoryDeletion.objects.get().backup_id == created.json()["id"]


def test_api_wrong_role_and_anonymous(leaver):
    body = {"dni": "40125896", "mailbox": "x", "location": "y", "backed_up_at": "2026-09-01T10:00"}
    response = _client(make_user("personal")).post(
        "/api/v1/hr/mailbox-backups/", body, format="json"
    )
    assert response.status_code == 403
    assert APIClient().post("/api/v1/hr/mailbox-backups/", body, format="json").status_code == 401
    assert not MailboxBackup.objects.exists()


def test_backup_page_and_export_read_back(leaver, client):
    from mapro.core.xlsx import read_xlsx

    soporte = make_user("resp-soporte")
    _backup(soporte, leaver)
    do_record_directory_deletion(
        actor=soporte, person=leaver, account_name="jparedes", deleted_on=datetime.date(2026, 9, 30)
    )
    client.force_login(make_user("coord-infraestructura"))
    page = client.get("/recursos-humanos/backups-pst/")
    assert page.status_code == 200
    assert "jparedes.pst" in page.content.decode()
    export = client.get("/recursos-humanos/backups-pst/exportar/?dni=40125896")
    headers, rows = read_xlsx(export.content)
    assert headers[:4] == ["DNI", "Personal", "Buzón", "Ubicación del PST"]
    assert len(rows) == 1
    assert rows[0][0] == "40125896"
    assert rows[0][3] == r"\\NAS-02\pst\2026\jparedes.pst"
    assert rows[0][8:] == ["jparedes", datetime.datetime(2026, 9, 30)]
    client.force_login(make_user("operador-mesa"))
    assert client.get("/recursos-humanos/backups-pst/").status_code == 403
