"""The {document: …} effects of a real ficha (S04.02.00.03) issue numbered documents.

Walked through API v1 with the flow-test helpers: step 1 leaves a "Proyecto de oficio" (a
draft, no number), steps 2, 3 and 9 leave an "Oficio" each, numbered consecutively in the
OFICIO family of the year. Per-value handlers of other apps keep their documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.utils import timezone

from mapro.assets.procedure_effects import PHONE_ACTA_ENTREGA
from mapro.documents.models import Document, DocumentCounter, DocumentStatus
from mapro.documents.procedure_effects import handle_document_effect
from mapro.procedures.effects import effect_handler
from mapro.procedures.models import EffectOutcome
from mapro.procedures.testing import Cast, Walk, publish_ficha, run_path
from mapro.procedures.tests.test_flow_S04_02_00_03 import ACTS, COORDINATORS, Baja, answer_8

CODE = "S04.02.00.03"


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


def _walk_until(cast: Cast, last: int) -> Walk:
    """Walk S04.02.00.03 up to activity ``last`` (3: both units consulted answer; 9: the end)."""
    baja = Baja(cast)
    baja.to_activity_3()
    baja.answer_3()
    if last > 3:
        for n in (4, 5, 6, 7):
            baja.step(n)
        for task in baja.open_tasks(8):
            user = next(cast[r] for r in COORDINATORS if cast[r].username == task["item"]["user"])
            baja.complete(user, task["id"], answer_8(task["item"]["user"]))
        baja.step(9)
    return baja.walk


def test_draft_then_numbered_oficios_along_the_flow(cast: Cast) -> None:
    walk = _walk_until(cast, 9)
    year = timezone.localdate().year
    docs = list(Document.objects.filter(instance_id=walk.id).order_by("id"))
    assert [(d.activity_n, d.kind, d.status) for d in docs] == [
        (1, "Proyecto de oficio", DocumentStatus.PROYECTO),
        (2, "Oficio", DocumentStatus.EMITIDO),
        (3, "Oficio", DocumentStatus.EMITIDO),
        (3, "Oficio", DocumentStatus.EMITIDO),
        (9, "Oficio", DocumentStatus.EMITIDO),
    ]
    draft, first, digep, dga, third = docs
    assert draft.number == "" and draft.seq is None
    # Each unit consulted answers with an oficio of its own, issued in that unit's name. One
    # document, one number: each carries the number SISTRADOC gave it (the form's "oficio"),
    # and mapro's OFICIO counter is never touched.
    assert [(d.number, d.unit_code) for d in (first, digep, dga, third)] == [
        ("OFICIO N° 00210-2025-MINDEF/SG-OGTIE", "OGTIE"),
        ("OFICIO N° 00077-2025-MINDEF/SG-DIGEP", "DIGEP"),
        ("OFICIO N° 00077-2025-MINDEF/SG-DGA", "DGA"),
        ("OFICIO N° 00260-2025-MINDEF/SG-OGTIE", "OGTIE"),
    ]
    assert {d.number_source for d in (first, digep, dga, third)} == {"sistradoc"}
    assert all(d.seq is None for d in (first, digep, dga, third))
    assert not DocumentCounter.objects.filter(family="OFICIO", year=year).exists()
    # The issued oficio comes from the draft of step 1; the step's actor issued it.
    assert first.draft == draft
    assert first.issued_by == cast["jefe-ogtie"]
    # The outcome row of the step names the number.
    outcome = EffectOutcome.objects.get(record=first.record, kind="document")
    assert outcome.status == "applied"
    assert outcome.detail["document"] == first.number


def test_body_is_the_form_data_by_field_title_and_subject_falls_back_to_the_activity(
    cast: Cast,
) -> None:
    walk = _walk_until(cast, 3)
    step2 = Document.objects.get(instance_id=walk.id, activity_n=2)
    assert step2.subject.startswith("Solicitar a las U.O.")
    assert step2.body == [
        ["N° de oficio (SISTRADOC)", ACTS[2].data["oficio"]],
        ["Fecha del oficio", ACTS[2].data["fecha_oficio"]],
    ]
    step3 = Document.objects.get(instance_id=walk.id, activity_n=3, unit_code="DIGEP")
    systems = dict(step3.body)["Sistemas que se darán de baja"]
    assert systems.splitlines()[0].startswith("Nombre del sistema (software): Sistema de Control")
    assert "Versión: 2.1" in systems


def test_a_step_without_optional_fields_still_issues_its_document(cast: Cast) -> None:
    walk = Walk(CODE, cast, starter="coord-innovacion")
    units = [{"unidad": "DIGEP"}]
    walk.complete(
        1, role="coord-innovacion", data={"proyecto_oficio": "R-1", "unidades_consultadas": units}
    )
    draft = Document.objects.get(instance_id=walk.id)
    assert draft.body == [
        ["N° de registro del proyecto de oficio (SISTRADOC)", "R-1"],
        [
            "Unidades de organización a las que se dirige el oficio",
            "Unidad de organización (código): DIGEP",
        ],
    ]
    assert draft.is_draft


def test_per_value_handlers_of_other_apps_keep_winning(db: Any) -> None:
    """Every document value another app registered resolves to that app's handler; every
    other value named in the fichas resolves to this app's kind-level handler."""
    from mapro.procedures.effects import registered_values

    own_values = registered_values("document")
    assert PHONE_ACTA_ENTREGA in own_values
    assert "Informe de eliminación de cuentas" in own_values
    named: dict[str, set[tuple[str, int]]] = {}
    for path in Path(settings.BASE_DIR, "procedures").glob("S04.*.yaml"):
        ficha = yaml.safe_load(path.read_text(encoding="utf-8"))
        for activity in ficha.get("activities") or []:
            for effect in activity.get("effects") or []:
                if isinstance(effect, dict) and "document" in effect:
                    step = (ficha["code"], int(activity["n"]))
                    named.setdefault(effect["document"], set()).add(step)
    assert {"Oficio", "Memorándum", "Acta de reunión"} <= set(named)
    # A value another app registered (for the whole value or only at some steps) resolves to
    # that app's handler at every step the fichas name it; every other value to ours.
    for value, steps in named.items():
        for step in steps:
            handler = effect_handler("document", value, step=step)
            if value in own_values:
                assert handler is not handle_document_effect, (value, step)
            else:
                assert handler is handle_document_effect, (value, step)


def test_phone_delivery_flow_keeps_assets_actas_and_numbers_the_rest(db: Any) -> None:
    """S04.03.03.02, delivery path: the oficios and the DIRAB delivery document are this
    app's (numbered, linked to the instance's ticket once it exists); both actas stay with
    mapro/assets' per-value handlers (no Document for them)."""
    from mapro.procedures.tests import test_flow_S04_03_03_02 as phone

    publish_ficha(phone.CODE)
    walk = run_path(phone.CODE, phone.PhoneCast(), phone.ACTS, phone.B_ENTREGA, first=[1])
    docs = {d.activity_n: d for d in Document.objects.filter(instance_id=walk.id)}
    assert sorted(docs) == [1, 9, 10, 11]
    assert docs[1].kind == "Oficio de solicitud de equipos telefónicos"
    # The U.O.'s oficio carries the number its unit gave it in SISTRADOC, nothing of ours.
    assert docs[1].number.endswith("-MINDEF/SG-DGRRHH") and docs[1].seq is None
    assert docs[1].number_source == "sistradoc"
    assert docs[9].is_draft and docs[9].number == ""
    assert docs[10].family == "OFICIO" and docs[10].draft == docs[9]
    assert docs[10].number_source == "sistradoc" and docs[10].seq is None
    # DIRAB's delivery document is DIRAB's: recorded with DIRAB's number, never one of ours.
    assert docs[11].external and docs[11].unit_code == "DIRAB" and docs[11].seq is None
    assert docs[11].number_source in {"externo", "ninguno"}
    assert not DocumentCounter.objects.filter(family="DOCUMENTO").exists()
    assert not Document.objects.filter(kind__startswith="Acta").exists()
    acta = EffectOutcome.objects.get(
        instance_id=walk.id, value="Acta de entrega de equipos telefónicos – OGTIE"
    )
    assert "document_id" not in acta.detail


def test_the_instance_ticket_is_linked_to_its_documents(db: Any) -> None:
    from mapro.core.testing import make_user
    from mapro.documents.testing import STEP1, STEP2, complete, started_instance
    from mapro.helpdesk.testing import ticket_in_status

    starter = make_user("coord-innovacion")
    instance = started_instance(starter)
    ticket = ticket_in_status(make_user("personal").person, instance=instance)
    complete(instance, 1, STEP1, starter)
    complete(instance, 2, STEP2, make_user("jefe-ogtie"))
    assert [d.ticket for d in Document.objects.filter(instance=instance)] == [ticket, ticket]
