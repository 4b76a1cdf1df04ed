"""``mapro seed --demo``: finished and running demo cases of every published procedure, walked
with the real actions, marked as demo data, once."""

from __future__ import annotations

import datetime
import io
import zipfile
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from mapro.audit.models import AuditEvent
from mapro.helpdesk.models import Ticket
from mapro.iam.models import Account
from mapro.procedures.models import Instance, InstanceStatus, Procedure, WorkItem, WorkItemState
from mapro.procedures.testing import publish_all

NOW = datetime.datetime(2026, 5, 20, 15, 0, tzinfo=datetime.UTC)


def _codes(status: str) -> set[str]:
    return set(
        Instance.objects.filter(is_demo=True, status=status).values_list(
            "procedure_version__procedure__code", flat=True
        )
    )


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_seed_demo_walks_every_procedure_once(client):
    call_command("seed", "--demo", stdout=StringIO())
    assert not Instance.objects.filter(is_demo=True).exists()  # nothing published: no cases
    publish_all()  # as `mapro procedures publish` (copied when this process published already)
    # Tests that need the demo users and registers only skip the cases (their cost).
    skipped = StringIO()
    call_command("seed", "--demo", "--no-cases", stdout=skipped)
    assert "Casos de demostración: omitidos (--no-cases)." in skipped.getvalue()
    # (the run records' demo data opens one case of S04.03.02.01, a failed backup's)
    assert set(Instance.objects.values_list("procedure_version__procedure__code", flat=True)) <= {
        "S04.03.02.01"
    }
    out = StringIO()
    call_command("seed", "--demo", stdout=out)
    assert "Casos de demostración:" in out.getvalue()
    assert "con problemas" not in out.getvalue()  # no step of any case was refused

    published = set(
        Procedure.objects.filter(current_version__isnull=False).values_list("code", flat=True)
    )
    assert len(published) == 23
    assert _codes(InstanceStatus.RUNNING) == published
    assert _codes(InstanceStatus.COMPLETED) == published
    assert not _codes(InstanceStatus.FAILED)
    # A running case always waits at an open task: none is left stuck.
    running = Instance.objects.filter(is_demo=True, status=InstanceStatus.RUNNING)
    open_items = WorkItem.objects.filter(instance__in=running, state=WorkItemState.OPEN)
    assert set(open_items.values_list("instance_id", flat=True)) == set(
        running.values_list("id", flat=True)
    )
    # Every case and ticket the seed made is demo data, and says so.
    assert not Instance.objects.filter(is_demo=False).exists()
    subjects = list(Ticket.objects.values_list("subject", flat=True))
    assert subjects and all(s.startswith("Demostración: ") for s in subjects)

    # Run again: nothing is added.
    counts = (Instance.objects.count(), Ticket.objects.count(), AuditEvent.objects.count())
    again = StringIO()
    call_command("seed", "--demo", stdout=again)
    assert "Casos de demostración: sin cambios." in again.getvalue()
    assert (Instance.objects.count(), Ticket.objects.count(), AuditEvent.objects.count()) == counts

    # People see which cases are demo ones: on the case, in its API and in the inboxes.
    case = running.order_by("id").first()
    assert case is not None
    jefe = get_user_model().objects.get(username="jefe-ogtie")
    client.force_login(jefe)
    page = client.get(reverse("procedures:instance_detail", args=[case.pk])).content.decode()
    assert ">Demostración</span>" in page
    assert client.get(f"/api/v1/instances/{case.pk}/").json()["is_demo"] is True
    client.force_login(get_user_model().objects.get(username="profesional-ogtie"))
    inbox = client.get(reverse("procedures:inbox")).content.decode()
    assert 'fw-normal">Demostración</span>' in inbox

    # An administrator finds them in the admin by "de demostración" (read only).
    client.force_login(get_user_model().objects.get(username="admin"))
    listed = client.get(reverse("admin:procedures_instance_changelist"), {"is_demo__exact": "1"})
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == Instance.objects.filter(is_demo=True).count()

    # The registers the procedures write, and their exports, show rows the cases' steps wrote
    # (the accounts of S04.03.01.01, the systems of S04.02.00.01: no other seed writes them).
    account = Account.objects.order_by("id").first()
    assert account is not None
    client.force_login(jefe)
    for url, text in [
        (reverse("systems:system_list"), "DEMO-SIS-01"),
        (reverse("systems:system_export"), "DEMO-SIS-01"),
        (reverse("iam:account_list"), account.account_name),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith("/exportar/"):  # an XLSX: the text is in its shared strings
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                body = b"".join(book.read(name) for name in book.namelist())
        assert text in body.decode("utf-8", "replace"), url
    # The desk's console lists the demo tickets, marked.
    client.force_login(get_user_model().objects.get(username="operador-mesa"))
    console = client.get(reverse("helpdesk:console_queue")).content.decode()
    assert "Demostración: " in console
