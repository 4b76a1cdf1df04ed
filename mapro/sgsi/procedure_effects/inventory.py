"""S04.03.03.02 activity 15 writes the asset inventory SGSI-FOR-002 and its Formato N° 01.

"Finalmente se registran todos los actuados en la matriz de inventario de activos de
infraestructura y activos de información (Formato N° 2) y en el formato de Gestión de cambios
de los activos de información (Formato N° 01)."

``handle_inventory`` (``{register: "Matriz de inventario … (SGSI-FOR-002)"}``) takes each
telephone configured at activity 13 (type, serial, user, extension or line), completed with
what DIRAB delivered at activity 11 (brand and model, patrimonial code): an equipment not yet
in the inventory is registered (its "alta", supported by DIRAB's delivery document), then
assigned to its user in the requesting unit (supported by the Acta de asignación de bienes,
dated by the user's signature). Both rows of the Formato N° 01 are written by those actions.
``handle_change_log`` (``{register: "Gestión de cambios de los activos de información"}``)
reports the rows this step wrote (it runs after, in ficha order).
"""

from __future__ import annotations

from typing import Any

from mapro.procedures.effects import EffectCall, Outcome

from ..actions.inventory import do_change_asset, do_register_asset
from ..choices import AssetStatus, AssetType, ChangeType
from ..models import AssetChange, InformationAsset

INVENTORY = (
    "Matriz de inventario de activos de infraestructura y activos de información (SGSI-FOR-002)"
)
CHANGE_LOG = "Gestión de cambios de los activos de información"
CODE = "S04.03.03.02"
TYPES = {"ip": AssetType.TELEFONO_IP, "movil": AssetType.TELEFONO_MOVIL}
NAMES = {"ip": "Equipo telefónico IP", "movil": "Equipo telefónico móvil"}


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def handle_inventory(call: EffectCall) -> Outcome:
    """Register and assign the delivered telephones in SGSI-FOR-002 (module docstring)."""
    if call.instance.procedure_code != CODE:
        return Outcome.skipped(f"{call.instance.procedure_code} no escribe la matriz SGSI-FOR-002.")
    configured = call.step_data(13).get("equipos_configurados") or []
    received = {
        _text(r, "serie"): r
        for r in call.step_data(11).get("equipos_recibidos") or []
        if isinstance(r, dict)
    }
    unit = call.instance.unit
    acta = _text(call.step_data(12), "numero_acta")
    support = f"Acta de asignación de bienes{f' {acta}' if acta else ''}"
    day = _text(call.data, "firma_usuario") or None
    written = []
    for row in configured:
        if not isinstance(row, dict) or not _text(row, "serie"):
            continue
        kind = TYPES.get(_text(row, "tipo"), AssetType.OTRO)
        serial = _text(row, "serie")
        delivered = received.get(serial, {})
        asset = InformationAsset.objects.filter(asset_type=kind, serial=serial).first()
        if asset is None:
            asset = do_register_asset(
                actor=call.actor,
                name=NAMES.get(_text(row, "tipo"), "Equipo telefónico"),
                asset_type=kind,
                brand_model=_text(delivered, "marca_modelo"),
                serial=serial,
                patrimonial_code=_text(delivered, "codigo_patrimonial"),
                location=f"Anexo {_text(row, 'anexo')}" if _text(row, "anexo") else "",
                changed_on=_text(call.step_data(11), "fecha_recepcion") or day,
                support_document="Documento de entrega de equipos (almacén de la DIRAB)",
                change_note=f"Alta del equipo recibido de la DIRAB (serie {serial}).",
                instance=call.instance,
                record=call.record,
                engine_checked=True,
            )
        if asset.status == AssetStatus.DADO_DE_BAJA:
            continue
        user = _text(row, "usuario")
        do_change_asset(
            asset,
            change_type=ChangeType.ASIGNACION,
            description=(
                f"Asignación a {user}{f' ({unit.code})' if unit is not None else ''}, S04.03.03.02."
            ),
            assigned_to=user,
            custodian=user,
            owner_unit=unit,
            status=AssetStatus.ASIGNADO,
            changed_on=day,
            support_document=support,
            actor=call.actor,
            instance=call.instance,
            record=call.record,
            engine_checked=True,
        )
        written.append(asset.code)
    if not written:
        return Outcome.skipped("la actividad 13 no configuró equipos con N° de serie")
    return Outcome.applied(assets=written)


def handle_change_log(call: EffectCall) -> Outcome:
    """The Formato N° 01 rows this step wrote (written with SGSI-FOR-002, just before)."""
    rows = list(
        AssetChange.objects.filter(record=call.record).select_related("asset").order_by("id")
    )
    if not rows:
        return Outcome.skipped("el paso no cambió ningún activo del inventario")
    return Outcome.applied(changes=[f"{r.asset.code}: {r.get_change_type_display()}" for r in rows])
