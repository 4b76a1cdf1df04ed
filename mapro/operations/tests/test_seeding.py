"""``mapro seed --demo``: a signed backup cronograma and its runs, one failed and corrected, the
last failed and opening S04.03.02.01's correction path."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command

from mapro.operations.models import RunRecord
from mapro.operations.seeding import seed_demo_runs
from mapro.procedures.testing import publish_ficha
from mapro.schedules.models import Plan

NOW = datetime.datetime(2026, 5, 20, 17, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_demo_runs_fulfil_the_signed_cronograma():
    call_command("seed", "--demo", verbosity=0)
    assert seed_demo_runs().startswith("pendiente")  # the procedure is not published yet
    publish_ficha("S04.03.02.01")
    assert seed_demo_runs() == "5 ejecución(es) de demostración"
    assert seed_demo_runs() == "ya cargado"
    plan = Plan.objects.get(procedure__code="S04.03.02.01", year=2026)
    assert plan.status == "approved" and plan.approved_by.username == "coord-infraestructura"
    runs = list(RunRecord.objects.order_by("ran_at"))
    assert [r.outcome for r in runs] == ["ok", "ok", "failed", "ok", "failed"]
    assert runs[2].correction_state == "done" and runs[2].instance_id is None
    assert runs[4].correction_state == "pending" and runs[4].instance_id is not None
    done = plan.occurrences.filter(status="done").values_list("due_on", flat=True)
    assert sorted(d.month for d in done) == [1, 2, 4]
