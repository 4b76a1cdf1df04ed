"""Test factories of the documents register: instances of S04.02.00.03 whose steps 1 and 2
leave a "Proyecto de oficio" (draft) and an "Oficio" (numbered)."""

from __future__ import annotations

from typing import Any

from mapro.core.testing import ensure_unit, make_user

CODE = "S04.02.00.03"
#: Step 1 names the units consulted (activity 3 is one task per unit): they must exist.
STEP1 = {
    "proyecto_oficio": "Registro 2026-000812",
    "unidades_consultadas": [{"unidad": "DIGEP"}, {"unidad": "DIGELOG"}],
}
STEP2 = {"oficio": "OFICIO N° 00210-2026-MINDEF/SG-OGTIE", "fecha_oficio": "2026-06-02"}


def publish() -> None:
    """Publish the fichas of ``procedures/`` (idempotent)."""
    from mapro.procedures.publishing import do_publish_procedures

    do_publish_procedures(actor=None)


def started_instance(starter: Any = None) -> Any:
    """A new instance of S04.02.00.03 started by ``starter`` (a new coord-innovacion)."""
    from mapro.procedures.actions import do_start_instance

    publish()
    ogtie = ensure_unit("OGTIE", "OGTIE")
    ensure_unit("DIGEP", "Dirección de Gestión Patrimonial")
    ensure_unit("DIGELOG", "Dirección General de Logística")
    starter = starter or make_user("coord-innovacion", unit=ogtie)
    return do_start_instance(CODE, actor=starter)


def complete(instance: Any, n: int, data: dict[str, Any], actor: Any) -> None:
    """Complete the open activity ``n`` of ``instance`` as ``actor``."""
    from mapro.procedures.actions import do_complete_task

    item = instance.work_items.get(state="open", n=n)
    do_complete_task(item.pk, data, actor=actor)


def issued_oficio(starter: Any = None) -> Any:
    """The numbered Oficio of a new instance (steps 1 and 2 completed); returns the document."""
    from .models import Document

    ogtie = ensure_unit("OGTIE", "OGTIE")
    starter = starter or make_user("coord-innovacion", unit=ogtie)
    instance = started_instance(starter)
    complete(instance, 1, STEP1, starter)
    complete(instance, 2, STEP2, make_user("jefe-ogtie", unit=ogtie))
    return Document.objects.get(instance=instance, kind="Oficio")


PHONE_CODE = "S04.03.03.02"
PHONE_STEP1 = {
    "oficio": "OFICIO N° 00231-2026-MINDEF/SG-DGRRHH",
    "equipos": [{"cantidad": 2, "tipo": "ip", "usuario": "Ana Rojas"}],
}


def uo_oficio(director: Any = None) -> Any:
    """The "Oficio de solicitud de equipos telefónicos" of a new S04.03.03.02 instance started
    (and its activity 1 completed) by ``director`` (a new director-uo of DIGEP): a document
    whose starter holds no OGTIE staff role."""
    from mapro.procedures.actions import do_start_instance

    from .models import Document

    publish()
    if director is None:
        unit = ensure_unit("DIGEP", "Dirección de Gestión Patrimonial")
        director = make_user("director-uo", unit=unit)
    instance = do_start_instance(PHONE_CODE, actor=director)
    complete(instance, 1, PHONE_STEP1, director)
    return Document.objects.get(instance=instance, activity_n=1)
