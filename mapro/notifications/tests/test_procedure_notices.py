"""Notices of the procedures reach people: a phishing case tells the Jefe(a) and the Oficial de
seguridad digital in the app and by real SMTP; S04.03.01.03 mails the DIPEC; a notice nobody
can receive does not stop the step, and the instance page says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mapro.notifications.choices import MailState
from mapro.notifications.fanout import fan_out_notifications
from mapro.notifications.models import Notification
from mapro.notifications.testing import deliver_outbox, mail_text
from mapro.organization.models import Person, RoleAssignment
from mapro.procedures.models import EffectOutcome
from mapro.procedures.testing import Walk, publish_ficha
from mapro.procedures.tests import test_flow_S04_03_01_03 as datacenter
from mapro.procedures.tests import test_flow_S04_04_00_02 as phishing

pytestmark = pytest.mark.django_db

TO_11 = [step for step in phishing.CONCRETADO if step[0] <= 11]


def _with_mail(user: Any, address: str) -> Any:
    Person.objects.filter(user=user).update(email=address)
    return user


def _walk(code: str, cast: Any, acts: dict[int, Any], steps: list[Any], **start: Any) -> Walk:
    walk = Walk(code, cast, starter=acts[steps[0][0]].roles[0], **start)
    for n, extra, open_after in steps:
        walk.complete(n, role=acts[n].roles[0], data={**acts[n].data, **extra})
        walk.assert_open(*open_after)
    return walk


@pytest.fixture
def reporter_cast(db: Any) -> Any:
    publish_ficha(phishing.CODE)
    return phishing.ReporterCast()


def test_a_phishing_case_reaches_the_jefe_and_the_security_officer_in_the_app_and_by_smtp(
    reporter_cast: Any, smtp_server: Any
) -> None:
    jefe = _with_mail(reporter_cast["jefe-ogtie"], "jefe.ogtie@mindef.gob.pe")
    oficial = _with_mail(reporter_cast["oficial-seguridad-digital"], "oficial.sd@mindef.gob.pe")
    bystander = _with_mail(reporter_cast["operador-mesa"], "mesa@mindef.gob.pe")
    walk = _walk(phishing.CODE, reporter_cast, phishing.ACTS, TO_11)

    for user in (jefe, oficial):
        notices = list(Notification.objects.filter(recipient=user).order_by("id"))
        assert [n.instance_id for n in notices] == [walk.id, walk.id]
        assert [n.subject.rsplit(": ", 1)[0] for n in notices] == [
            f"{phishing.CODE} · Expediente {walk.id}"
        ] * 2
        assert notices[0].subject.endswith("Notificar a los usuarios")
        assert all(n.read_at is None and n.mail_state == MailState.PENDING for n in notices)
        assert all(n.url == f"/procedimientos/instancias/{walk.id}/" for n in notices)
    assert not Notification.objects.filter(recipient=bystander).exists()
    # No answer of the form travels in a notice (only the ficha's and the instance's words).
    assert not Notification.objects.filter(body__contains="jperez").exists()

    assert smtp_server.messages == []  # nothing is mailed in the request
    assert fan_out_notifications() == 4
    deliver_outbox()
    received = sorted((m["To"], m["Subject"]) for m in smtp_server.messages)
    assert [to for to, _ in received] == [
        "jefe.ogtie@mindef.gob.pe",
        "jefe.ogtie@mindef.gob.pe",
        "oficial.sd@mindef.gob.pe",
        "oficial.sd@mindef.gob.pe",
    ]
    assert f"/procedimientos/instancias/{walk.id}/" in mail_text(smtp_server.messages[0])
    assert set(Notification.objects.values_list("mail_state", flat=True)) == {MailState.QUEUED}
    assert fan_out_notifications() == 0  # a second run writes nothing again

    outcomes = EffectOutcome.objects.filter(instance_id=walk.id, kind="notify").order_by("id")
    assert [(o.record.n, o.detail["destinatarios"]) for o in outcomes] == [(4, 2), (11, 2)]


def test_the_security_officer_reads_the_notice_in_the_app(
    reporter_cast: Any, smtp_server: Any
) -> None:
    oficial = reporter_cast["oficial-seguridad-digital"]
    other = reporter_cast["jefe-ogtie"]
    walk = _walk(phishing.CODE, reporter_cast, phishing.ACTS, TO_11[:4])
    client = Client()
    client.force_login(oficial)
    page = client.get("/avisos/")
    assert page.status_code == 200
    assert page.context["unread"] == 1
    assert 'aria-label="1 aviso(s) sin leer"' in page.content.decode()
    notice = Notification.objects.get(recipient=oficial)
    opened = client.get(f"/avisos/{notice.pk}/")
    assert (
        opened.status_code == 302 and opened["Location"] == f"/procedimientos/instancias/{walk.id}/"
    )
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.get("/avisos/").context["unread"] == 0
    # Another person's notice is not found (and stays unread).
    theirs = Notification.objects.get(recipient=other)
    assert client.get(f"/avisos/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notice_nobody_holds_completes_the_step_and_the_page_says_so(reporter_cast: Any) -> None:
    walk = _walk(phishing.CODE, reporter_cast, phishing.ACTS, TO_11[:3])
    # Nobody holds jefe-ogtie nor oficial-seguridad-digital any more.
    RoleAssignment.objects.filter(
        role__code__in=["jefe-ogtie", "oficial-seguridad-digital"]
    ).delete()
    n, extra, _ = TO_11[3]
    walk.complete(n, role=phishing.ACTS[n].roles[0], data={**phishing.ACTS[n].data, **extra})
    walk.assert_open(5)
    outcome = EffectOutcome.objects.get(instance_id=walk.id, kind="notify")
    assert outcome.status == "skipped", outcome.detail
    assert outcome.detail["destinatarios"] == 0
    assert not Notification.objects.exists()
    client = Client()
    client.force_login(reporter_cast["tecnico-especialista"])
    page = client.get(f"/procedimientos/instancias/{walk.id}/").content.decode()
    assert "Nadie recibió el aviso" in page


@pytest.fixture
def datacenter_cast(db: Any) -> Any:
    publish_ficha(datacenter.CODE)
    return datacenter.DataCenterCast()


def test_the_contractor_steps_mail_the_dipec(datacenter_cast: Any, smtp_server: Any) -> None:
    steps = [*datacenter.HEAD_OGTIE, *datacenter.TAIL_OGTIE[:2]]  # 7, 8, 9, 10, 11
    walk = _walk(
        datacenter.CODE, datacenter_cast, datacenter.ACTS, steps, start="mantenimiento-ogtie"
    )
    outcomes = EffectOutcome.objects.filter(instance_id=walk.id, kind="mail").order_by("id")
    assert [(o.record.n, o.status) for o in outcomes] == [(10, "applied"), (11, "applied")]
    deliver_outbox()
    mails = [m for m in smtp_server.messages if m["To"] == "dipec.sst@mindef.gob.pe"]
    assert len(mails) == 2
    assert "SCTR" in mail_text(mails[0])  # the documents sent, by their titles


def test_a_bad_dipec_address_is_a_field_error_and_nothing_is_mailed(datacenter_cast: Any) -> None:
    from mapro.notifications.models import OutboxMessage
    from mapro.procedures.testing import API, client_for

    walk = _walk(
        datacenter.CODE,
        datacenter_cast,
        datacenter.ACTS,
        datacenter.HEAD_OGTIE,
        start="mantenimiento-ogtie",
    )
    data = {**datacenter.ACTS[10].data, "documentacion_conforme": "si", "correo_dipec": "dipec"}
    response = client_for(datacenter_cast["coord-infraestructura"]).post(
        f"{API}/tasks/{walk.task_id(10)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["correo_dipec"] == [
        "Indique una dirección de correo válida (nombre@dominio.gob.pe)."
    ]
    walk.assert_open(10)
    assert not OutboxMessage.objects.filter(recipients__icontains="dipec").exists()
