"""The HR leaver webhook: signature, timestamp, payload, unknown person, idempotency."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import pytest

from mapro.audit.models import AuditEvent
from mapro.hr import signing
from mapro.hr.models import LeaverEvent
from mapro.iam.models import Account
from mapro.procedures.models import Instance

from .helpers import SECRET, alert, headers_for, post_alert

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    """Everything a refused call must leave as it was (audit aside)."""
    return (
        LeaverEvent.objects.count(),
        Instance.objects.count(),
        sorted(Account.objects.values_list("account_name", "status")),
    )


def _refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="leaver_event.refuse").order_by("id"))


def _assert_refused(response: Any, status: int, before: tuple[Any, ...], reason: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert reason in response.json()["detail"]
    assert _state() == before
    events = _refusals()
    assert len(events) == 1
    event = events[0]
    assert event.after["estado_http"] == status
    assert reason in event.after["motivo"]
    assert event.actor_id is None
    stored = json.dumps(event.after) + event.object_repr
    assert SECRET not in stored
    assert "sha256=" not in stored  # never the signature


def test_a_signed_alert_starts_the_procedure_and_disables_the_accounts(published, leaver):
    response = post_alert(alert(origin="dipec"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["duplicado"] is False
    assert body["inicio"] == "cuentas"
    instance = Instance.objects.get(pk=body["expediente"])
    assert instance.start_key == "cuentas"
    assert instance.started_by_id is None
    assert instance.started_by_name == "sistema"
    assert instance.unit_id == leaver.unit_id
    # Activity 1 waits for profesional-ogtie, with the alert's data in the instance.
    assert list(instance.work_items.filter(state="open").values_list("n", flat=True)) == [1]
    statuses = dict(Account.objects.values_list("account_name", "status"))
    assert statuses == {
        "jparedes": "eliminada",
        "jparedes@mindef.gob.pe": "eliminada",
        "vpn.jparedes": "activa",  # the VPN start removes it (activity 8)
    }
    assert sorted(body["cuentas_deshabilitadas"]) == sorted(
        ["jparedes (Cuenta de red (AD))", "jparedes@mindef.gob.pe (Correo institucional)"]
    )
    removed = Account.objects.get(account_name="jparedes")
    assert "RRHH-CESE-2026-0001" in removed.removal_reason
    assert list(removed.instances.all()) == [instance]
    event = LeaverEvent.objects.get()
    assert (event.event_id, event.person, event.kind, event.origin) == (
        "RRHH-CESE-2026-0001",
        leaver,
        "cuentas",
        "dipec",
    )
    assert event.instance == instance
    audit = AuditEvent.objects.get(action="leaver_event.receive")
    assert audit.after["expediente"] == instance.pk
    assert not _refusals()


def test_a_vpn_alert_takes_the_vpn_start_and_removes_only_the_vpn_user(published, leaver):
    response = post_alert(alert(kind="vpn"))
    assert response.status_code == 201, response.content
    instance = Instance.objects.get(pk=response.json()["expediente"])
    assert instance.start_key == "vpn"
    assert list(instance.work_items.filter(state="open").values_list("n", flat=True)) == [5]
    statuses = dict(Account.objects.values_list("account_name", "status"))
    assert statuses["vpn.jparedes"] == "eliminada"
    assert statuses["jparedes"] == "activa"


def test_the_same_event_again_has_no_second_effect(published, leaver):
    body = alert()
    first = post_alert(body)
    assert first.status_code == 201
    removals = AuditEvent.objects.filter(action="account.remove").count()
    for _ in range(3):
        again = post_alert(body)
        assert again.status_code == 200, again.content
        assert again.json()["duplicado"] is True
        assert again.json()["expediente"] == first.json()["expediente"]
    assert Instance.objects.count() == 1
    assert LeaverEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="account.remove").count() == removals == 2
    assert AuditEvent.objects.filter(action="leaver_event.duplicate").count() == 3


def test_the_same_event_id_with_another_body_is_a_conflict(published, leaver):
    assert post_alert(alert()).status_code == 201
    before = _state()
    response = post_alert(alert(date="2026-09-01"))
    _assert_refused(response, 409, before, "otro contenido")


def test_a_wrong_signature_is_refused_and_audited(published, leaver):
    body = alert()
    before = _state()
    response = post_alert(body, headers_for(body, secret="otro-secreto"))
    _assert_refused(response, 401, before, "firma no corresponde")


def test_a_body_changed_after_signing_is_refused(published, leaver):
    headers = headers_for(alert())
    before = _state()
    response = post_alert(alert(dni="40125897"), headers)
    _assert_refused(response, 401, before, "firma no corresponde")


@pytest.mark.parametrize("offset", [-301, 301, -3600])
def test_a_stale_or_future_timestamp_is_refused(published, leaver, offset, monkeypatch):
    body = alert()
    before = _state()
    # The server's clock stands still at a whole second: otherwise the time between signing
    # and checking (and int()'s truncation) could bring a stamp 301 s ahead back inside.
    now = float(int(time.time()))
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: now))
    # Correctly signed, but outside the 5-minute window: a replay.
    response = post_alert(body, headers_for(body, timestamp=int(now) + offset))
    _assert_refused(response, 401, before, "fuera de la tolerancia")


def test_a_timestamp_inside_the_window_passes(published, leaver):
    body = alert()
    response = post_alert(body, headers_for(body, timestamp=int(time.time()) - 250))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("missing", "reason"),
    [
        ("X-Mapro-Timestamp", "Falta la cabecera X-Mapro-Timestamp"),
        ("X-Mapro-Signature", "Falta la cabecera X-Mapro-Signature"),
    ],
)
def test_missing_headers_are_refused(published, leaver, missing, reason):
    body = alert()
    headers = headers_for(body)
    del headers[missing]
    before = _state()
    _assert_refused(post_alert(body, headers), 401, before, reason)


def test_a_non_numeric_timestamp_is_refused(published, leaver):
    body = alert()
    headers = headers_for(body)
    headers["X-Mapro-Timestamp"] = "ayer"
    before = _state()
    _assert_refused(post_alert(body, headers), 401, before, "hora Unix")


def test_an_unknown_person_is_422(published, leaver):
    before = _state()
    response = post_alert(alert(dni="99999999"))
    _assert_refused(response, 422, before, "99999999")
    assert "dni" in response.json()["errors"]


def test_malformed_json_is_400(published, leaver):
    body = b'{"event_id": "RRHH-1", "dni": '
    before = _state()
    response = post_alert(body)
    _assert_refused(response, 400, before, "JSON")
    assert "cuerpo" in response.json()["errors"]


def test_bad_fields_are_400_naming_each(published, leaver):
    body = json.dumps({"dni": "123", "date": "31/08/2026", "kind": "todo", "x": 1}).encode()
    before = _state()
    response = post_alert(body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"event_id", "dni", "date", "kind", "cuerpo"}
    assert _state() == before
    assert len(_refusals()) == 1


def test_without_a_configured_secret_every_call_is_refused(published, leaver, settings):
    body = alert()
    headers = headers_for(body)
    settings.HR_WEBHOOK_SECRET = ""
    before = _state()
    _assert_refused(post_alert(body, headers), 503, before, "no está configurado")


def test_an_unpublished_procedure_leaves_nothing_and_can_be_retried(leaver):
    before = _state()
    response = post_alert(alert())
    _assert_refused(response, 503, before, "no está publicado")
    # Once published, the same event goes through (HR retries).
    from mapro.procedures.testing import publish_ficha

    publish_ficha("S04.03.01.02")
    assert post_alert(alert()).status_code == 201


def test_a_session_or_token_does_not_replace_the_signature(published, leaver):
    from django.test import Client

    from mapro.core.testing import make_user

    client = Client()
    client.force_login(make_user("jefe-ogtie"))
    before = _state()
    response = client.post(URL_, data=alert(), content_type="application/json")
    assert response.status_code == 401
    assert _state() == before


URL_ = "/api/v1/hooks/hr/leaver/"


def test_the_contract_is_in_the_openapi_schema(db):
    from django.test import Client

    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/hooks/hr/leaver/"]["post"]
    assert operation["operationId"] == "hr_leaver_webhook"
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert headers == {"X-Mapro-Timestamp", "X-Mapro-Signature"}
    assert {"200", "201", "400", "401", "422"} <= set(operation["responses"])
    # No session or token scheme: the signature headers are its authentication.
    assert not operation.get("security")
    assert "security" not in schema


def test_the_secret_and_the_signatures_are_stored_and_logged_nowhere(published, leaver, caplog):
    body = alert()
    good = headers_for(body)
    bad = headers_for(body, secret="otro-secreto")
    assert post_alert(body, bad).status_code == 401
    assert post_alert(body, good).status_code == 201
    assert post_alert(body, good).status_code == 200
    signatures = {good["X-Mapro-Signature"][7:], bad["X-Mapro-Signature"][7:]}
    dumped = json.dumps(
        [
            list(AuditEvent.objects.values()),
            list(LeaverEvent.objects.values()),
            list(Instance.objects.values("state")),
        ],
        default=str,
    )
    logged = caplog.text
    for secret in (SECRET, *signatures):
        assert secret not in dumped
        assert secret not in logged


def test_an_unsigned_flood_adds_one_audit_row_per_address_and_reason(published, leaver):
    """Issue 13, item 8: 50 unsigned calls from one address leave one refusal in the audit
    trail (the rest go to the log); another address or another reason gets its own row, and
    after the window the next refusal is audited again."""
    import datetime

    import time_machine
    from django.test import Client
    from django.utils import timezone

    body = alert()
    before = _state()
    audited = AuditEvent.objects.count()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for _ in range(50):
            response = Client().post(URL_, data=body, content_type="application/json")
            assert response.status_code == 401
        assert AuditEvent.objects.count() - audited == 1
        other = Client(REMOTE_ADDR="203.0.113.50")
        assert other.post(URL_, data=body, content_type="application/json").status_code == 401
        wrong = headers_for(body, secret="otro-secreto")
        assert post_alert(body, wrong).status_code == 401  # another reason: a bad signature
        assert AuditEvent.objects.count() - audited == 3
    with time_machine.travel(now + datetime.timedelta(minutes=11), tick=False):
        Client().post(URL_, data=body, content_type="application/json")
    assert AuditEvent.objects.count() - audited == 4
    assert _state() == before
