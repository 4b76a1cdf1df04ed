"""S04.03.01.02 steps that write this app's records, driven through API v1: the instance the
HR webhook starts (3: PST backup, 4: deletion from the AD), and the reconciliation (14: link,
15: backups before the removals, 16: the informe's listing)."""

from __future__ import annotations

from typing import Any

import pytest

from mapro.hr.models import DirectoryDeletion, MailboxBackup, Reconciliation
from mapro.hr.testing import make_reconciliation
from mapro.iam.models import Account
from mapro.procedures.models import EffectOutcome, Instance
from mapro.procedures.testing import API, Cast, Walk, client_for
from mapro.procedures.tests.test_flow_S04_03_01_02 import ACTS

from .helpers import alert, post_alert

pytestmark = pytest.mark.django_db
CODE = "S04.03.01.02"


@pytest.fixture
def cast(published: Any) -> Cast:
    return Cast()


def _complete(instance_id: int, n: int, user: Any, data: dict[str, Any]) -> Any:
    instance = Instance.objects.get(pk=instance_id)
    task = instance.work_items.get(state="open", n=n)
    return client_for(user).post(f"{API}/tasks/{task.pk}/complete/", {"data": data}, format="json")


def _outcomes(instance_id: int, n: int) -> list[EffectOutcome]:
    return list(EffectOutcome.objects.filter(instance_id=instance_id, record__n=n).order_by("id"))


def test_the_webhooks_instance_records_the_backup_then_the_deletion(cast, leaver):
    instance_id = post_alert(alert()).json()["expediente"]
    step1 = {**ACTS[1].data, "dni": leaver.dni}
    assert _complete(instance_id, 1, cast["profesional-ogtie"], step1).status_code == 200
    step2 = {"cuentas": [{"tipo": "red", "nombre_cuenta": "jparedes", "fecha": "2026-09-01"}]}
    assert _complete(instance_id, 2, cast["profesional-ogtie"], step2).status_code == 200
    soporte = cast["resp-soporte"]
    response = _complete(instance_id, 3, soporte, ACTS[3].data)
    assert response.status_code == 200, response.content
    backup = MailboxBackup.objects.get()
    assert (backup.person, backup.instance_id, backup.recorded_by) == (leaver, instance_id, soporte)
    assert backup.location == ACTS[3].data["ubicacion_pst"]
    assert backup.backed_up_at.isoformat() == "2025-09-01T21:20:00+00:00"
    assert [o.detail["backup_pst"] for o in _outcomes(instance_id, 3)] == [backup.pk]
    step4 = {"cuenta_ad": "jparedes", "fecha_eliminacion": "2026-12-01"}
    response = _complete(instance_id, 4, soporte, step4)
    assert response.status_code == 200, response.content
    deletion = DirectoryDeletion.objects.get()
    assert (deletion.backup, deletion.person, deletion.instance_id) == (backup, leaver, instance_id)
    assert Instance.objects.get(pk=instance_id).status == "completed"
    # The webhook had already disabled the account; the register keeps it removed once.
    assert Account.objects.get(account_name="jparedes").status == "eliminada"


def test_the_deletion_step_is_refused_when_the_backup_was_not_recorded(cast, leaver):
    """A backup of another leaver does not count: the step stays open, nothing written."""
    walk = Walk(CODE, cast, starter="profesional-ogtie", start="cuentas")
    walk.complete(1, role="profesional-ogtie", data={**ACTS[1].data, "dni": leaver.dni})
    walk.complete(2, role="profesional-ogtie", data=ACTS[2].data, current=walk.known())
    walk.complete(3, role="resp-soporte", data=ACTS[3].data, current=walk.known())
    # Make the recorded backup another leaver's, outside this instance: the deletion of this
    # leaver's account must then be refused.
    MailboxBackup.objects.update(
        dni="00000000", person=None, person_name="Otra persona", instance=None
    )
    response = client_for(cast["resp-soporte"]).post(
        f"{API}/tasks/{walk.task_id(4)}/complete/",
        {"data": {"cuenta_ad": "jparedes", "fecha_eliminacion": "2026-12-01"}},
        format="json",
    )
    assert response.status_code == 400
    assert "cuenta_ad" in response.json()["errors"]
    assert not DirectoryDeletion.objects.exists()
    walk.assert_open(4)


def _to_14(cast: Cast) -> Walk:
    walk = Walk(CODE, cast, starter="coord-infraestructura", start="conciliacion")
    walk.complete(11, role="coord-infraestructura", data=ACTS[11].data)
    walk.complete(12, role="jefe-ogtie", data=ACTS[12].data, current=walk.known())
    walk.complete(13, role="jefe-ogtie", data=ACTS[13].data, current=walk.known())
    return walk


def test_the_reconciliation_steps_link_back_up_remove_and_report(cast, leaver):
    reconciliation = make_reconciliation(
        "40125896;Jorge Luis;Paredes Ríos;OGTIE;baja;2025-08-31", period="2025-II"
    )
    walk = _to_14(cast)
    coord = client_for(cast["coord-infraestructura"])
    url = f"{API}/tasks/{walk.task_id(14)}/complete/"
    unknown = coord.post(url, {"data": {**ACTS[14].data, "conciliacion": 999999}}, format="json")
    assert unknown.status_code == 400
    assert "conciliacion" in unknown.json()["errors"]
    data14 = {**ACTS[14].data, "conciliacion": reconciliation.pk}
    assert coord.post(url, {"data": data14}, format="json").status_code == 200
    assert Reconciliation.objects.get().instance_id == walk.id
    # 15: a row without a backup (given or recorded) is refused, naming the row.
    url = f"{API}/tasks/{walk.task_id(15)}/complete/"
    profesional = client_for(cast["profesional-ogtie"])
    row = {
        "nombres_apellidos": "Jorge Luis Paredes Ríos",
        "nombre_cuenta": "jparedes",
        "fecha_eliminacion": "2026-11-20",
    }
    refused = profesional.post(url, {"data": {"eliminaciones": [row]}}, format="json")
    assert refused.status_code == 400
    assert "Fila 1" in refused.json()["errors"]["eliminaciones"][0]
    assert Account.objects.get(account_name="jparedes").status == "activa"
    row.update(ubicacion_pst=r"\\NAS-02\pst\jparedes.pst", fecha_backup="2026-11-20T09:00:00-05:00")
    done = profesional.post(url, {"data": {"eliminaciones": [row]}}, format="json")
    assert done.status_code == 200, done.content
    assert MailboxBackup.objects.get().instance_id == walk.id
    assert Account.objects.get(account_name="jparedes").status == "eliminada"  # the IAM step
    outcome = _outcomes(walk.id, 15)[0]
    assert outcome.detail["backups_pst"] == [MailboxBackup.objects.get().pk]
    # 16: the informe's listing for the semester of activity 11 (2025-II), or the given period.
    walk.complete(16, role="coord-infraestructura", data=ACTS[16].data)
    report = next(o for o in _outcomes(walk.id, 16) if o.kind == "document")
    assert (report.detail["desde"], report.detail["hasta"]) == ("2025-07-01", "2025-12-31")
    assert report.detail["cuentas_eliminadas"] == 0  # removed in 2026, not in 2025-II
    assert report.detail["informe"].startswith("/recursos-humanos/informe-eliminacion/?desde=")
    walk.complete(17, role="jefe-ogtie", data={})
    walk.assert_completed([11, 12, 13, 14, 15, 16, 17])


def test_the_informe_counts_the_removals_of_the_given_period(cast, leaver):
    from django.utils import timezone

    walk = _to_14(cast)
    walk.complete(14, role="coord-infraestructura", data=ACTS[14].data)
    walk.complete(15, role="profesional-ogtie", data={"eliminaciones": []})
    Account.objects.filter(account_name="jparedes").update(
        status="eliminada", removed_on=timezone.localdate()
    )
    today = timezone.localdate().isoformat()
    walk.complete(
        16,
        role="coord-infraestructura",
        data={**ACTS[16].data, "desde": today, "hasta": today},
    )
    report = next(o for o in _outcomes(walk.id, 16) if o.kind == "document")
    assert (report.detail["cuentas_eliminadas"], report.detail["personas"]) == (1, 1)
    skipped = [o for o in _outcomes(walk.id, 14) if o.kind == "register"]
    assert [o.status for o in skipped if o.value == "Conciliación de altas y bajas"] == ["skipped"]
