"""Test data of the run records, made through the real actions."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from mapro.core.testing import make_user

from .actions import do_issue_token, do_record_run
from .models import RunRecord

_n = itertools.count(1)


def server(**extra: Any) -> Any:
    """A server of the inventory, in OGTIE's data center."""
    from mapro.core.testing import ensure_unit
    from mapro.inventory.testing import new_equipment

    extra.setdefault("unit", ensure_unit("OGTIE"))
    return new_equipment("servidor", **extra)


def make_run(*, outcome: str = "failed", kind: str = "backup-bd", **values: Any) -> RunRecord:
    """A run of a new server, recorded by a new Profesional para la OGTIE (a failed backup
    opens no instance here unless S04.03.02.01 is published)."""
    equipment = values.pop("equipment", None) or server().code
    return do_record_run(
        actor=make_user("profesional-ogtie"),
        kind=kind,
        equipment=equipment,
        ran_at=values.pop("ran_at", timezone.now() - datetime.timedelta(hours=1)),
        outcome=outcome,
        **values,
    )


def run_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": make_run().pk}


def token_kwargs(user: Any) -> dict[str, Any]:
    token, _ = do_issue_token(
        actor=make_user("coord-infraestructura"), name=f"Script {next(_n)}", kinds=["log"]
    )
    return {"pk": token.pk}


def evidence_run_kwargs(user: Any) -> dict[str, Any]:
    from .evidence import check_evidence

    equipment = server().code
    run = do_record_run(
        actor=make_user("profesional-ogtie"),
        kind="log",
        equipment=equipment,
        ran_at=timezone.now() - datetime.timedelta(hours=1),
        outcome="ok",
        evidence=check_evidence("eventos.txt", b"Security log exported: 1200 events"),
    )
    return {"pk": run.pk}
