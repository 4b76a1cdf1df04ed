"""Demo SGSI registers loaded by ``mapro seed --demo`` (idempotent): a few documents of the SGSI
(the policy approved and in force, a procedure under review with an observation, the formats
the manual names) and a few assets of SGSI-FOR-002 with their change log. Without ``--demo``
nothing is loaded: the registers are filled by S04.01.00.03, S04.03.03.02 and their keepers."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mapro.organization.models import Unit
from mapro.organization.seeding import register_seed_step

from .actions.documents import (
    do_add_version,
    do_approve_version,
    do_observe_document,
    do_register_document,
)
from .actions.inventory import do_change_asset, do_register_asset
from .models import InformationAsset, SgsiDocument

DEMO_DOCUMENTS = [
    ("SGSI-POL-001", "Política de seguridad de la información", "sgsi", "aprobado"),
    (
        "SGSI-PRO-004",
        "Procedimiento de gestión de incidentes de seguridad",
        "ciberseguridad",
        "observado",
    ),
    (
        "SGSI-FOR-002",
        "Matriz de inventario de activos de infraestructura y activos de información",
        "infraestructura",
        "aprobado",
    ),
    ("SGSI-FOR-003", "Matriz de riesgos", "sgsi", "aprobado"),
    (
        "SGSI-FOR-006",
        "Matriz de registro de incidentes de seguridad de la información",
        "ciberseguridad",
        "aprobado",
    ),
    ("SGSI-PLA-001", "Plan de tratamiento de riesgos", "sgsi", "en revisión"),
]

DEMO_ASSETS = [
    (
        "Servidor de aplicaciones srv-app-01",
        "hardware",
        "Dell PowerEdge R750",
        "SRV-APP-01",
        3,
        3,
        3,
    ),
    ("Base de datos del sistema de gestión documental", "informacion", "", "", 3, 3, 2),
    ("Switch de núcleo del centro de datos", "red", "Cisco Catalyst 9500", "FDO2401X0AB", 2, 3, 3),
]


@transaction.atomic
def seed_demo_sgsi() -> tuple[int, int]:
    documents = assets = 0
    today = timezone.localdate()
    ogtie = Unit.objects.filter(code="OGTIE").first()
    for code, title, team, state in DEMO_DOCUMENTS:
        if SgsiDocument.objects.filter(code=code).exists():
            continue
        document = do_register_document(
            code=code, title=title, owner_team=team, actor=None, engine_checked=True
        )
        version = do_add_version(
            document,
            file=ContentFile(f"{code} — {title}\n".encode(), name=f"{code}.txt"),
            changes="Versión inicial.",
            actor=None,
            engine_checked=True,
        )
        if state == "aprobado":
            do_approve_version(
                version,
                approval_document=f"MEMORÁNDUM N° {documents + 1:03d}-{today.year}-MINDEF/SG-OGTIE",
                approved_on=today,
                actor=None,
                engine_checked=True,
            )
        elif state == "observado":
            do_observe_document(
                document,
                version=version,
                text="Actualizar los plazos de notificación según la RSGTD N° 003-2023-PCM/SGTD.",
                source="Demostración",
                actor=None,
                engine_checked=True,
            )
        documents += 1
    for name, kind, model, serial, c, i, a in DEMO_ASSETS:
        if InformationAsset.objects.filter(name=name).exists():
            continue
        asset = do_register_asset(
            actor=None, name=name, asset_type=kind, brand_model=model, serial=serial,
            owner_unit=ogtie, custodian="Equipo de infraestructura tecnológica",
            location="Centro de datos", confidentiality=c, integrity=i, availability=a,
            classification="confidencial" if c == 3 else "uso_interno", engine_checked=True,
        )  # fmt: skip
        do_change_asset(
            asset,
            change_type="modificacion",
            description="Clasificación revisada en la revisión anual del SGSI.",
            classification="restringida" if c == 3 else "uso_interno",
            actor=None,
            engine_checked=True,
        )
        assets += 1
    return documents, assets


@register_seed_step(order=85)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s SGSI step: demo documents and assets with ``--demo`` only."""
    if not demo:
        return "Registros del SGSI: sin datos de referencia."
    documents, assets = seed_demo_sgsi()
    return f"Registros del SGSI: {documents} documento(s) y {assets} activo(s) de demostración."
