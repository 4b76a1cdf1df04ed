"""Actions on the asset inventory (SGSI-FOR-002): register an asset and change it. Every change,
the first registration included, writes its row of the Formato N° 01 ("Gestión de cambios de
los activos de información") with what changed, in the same transaction, and an audit event."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.organization.models import Unit

from .. import access
from ..choices import AssetStatus, AssetType, ChangeType, Classification, Level
from ..models import AssetChange, InformationAsset
from .common import as_date, clean

#: Fields an asset's change may set, with their length limits (None: a choice or a unit).
EDITABLE: dict[str, int | None] = {
    "name": 200,
    "asset_type": None,
    "description": 2000,
    "brand_model": 200,
    "serial": 100,
    "patrimonial_code": 100,
    "owner_unit": None,
    "custodian": 200,
    "assigned_to": 200,
    "location": 200,
    "classification": None,
    "confidentiality": None,
    "integrity": None,
    "availability": None,
    "status": None,
}
CHOICES = {
    "asset_type": AssetType.values,
    "classification": Classification.values,
    "status": AssetStatus.values,
}
LEVELS = ("confidentiality", "integrity", "availability")


def _clean_fields(fields: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            errors[name] = ["Campo desconocido del inventario."]
            continue
        if name == "owner_unit":
            if value in (None, ""):
                out[name] = None
            elif isinstance(value, Unit):
                out[name] = value
            else:
                unit = Unit.objects.filter(code__iexact=str(value).strip()).first()
                if unit is None:
                    errors[name] = ["No existe una unidad de organización con esa sigla."]
                out[name] = unit
        elif name in CHOICES:
            text = str(value or "").strip()
            if text not in CHOICES[name]:
                errors[name] = ["Elija un valor de la lista."]
            out[name] = text
        elif name in LEVELS:
            try:
                level = int(value)
            except (TypeError, ValueError):
                level = 0
            if level not in Level.values:
                errors[name] = ["La escala es 1 (bajo), 2 (medio) o 3 (alto)."]
            out[name] = level
        else:
            out[name] = clean(value, EDITABLE[name] if name != "description" else None)
    return out


def _shown(value: Any) -> Any:
    return value.code if isinstance(value, Unit) else value


def _check_serial(
    errors: dict[str, list[str]], asset_type: str, serial: str, pk: int | None
) -> None:
    if not serial:
        return
    clash = InformationAsset.objects.filter(asset_type=asset_type, serial=serial)
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if clash.exists():
        errors["serial"] = [f"Ya hay un activo de ese tipo con el N° de serie {serial}."]


def do_register_asset(
    *,
    actor: Any,
    changed_on: Any = None,
    support_document: Any = "",
    change_note: Any = "",
    instance: Any = None,
    record: Any = None,
    engine_checked: bool = False,
    **fields: Any,
) -> InformationAsset:
    """Register an asset in SGSI-FOR-002 (name and type required; the serial, when given, is
    unique per type) and its "alta" in the Formato N° 01."""
    access.check(
        actor,
        access.ASSET_EDITORS,
        "Su rol no registra activos en el inventario.",
        engine_checked=engine_checked,
    )
    errors: dict[str, list[str]] = {}
    values = _clean_fields(fields, errors)
    if not values.get("name"):
        errors["name"] = ["Indique el nombre del activo."]
    if not values.get("asset_type") and "asset_type" not in errors:
        errors["asset_type"] = ["Elija el tipo de activo."]
    day = as_date(errors, "changed_on", changed_on, "Fecha", future_ok=engine_checked)
    if "asset_type" not in errors:
        _check_serial(errors, values.get("asset_type", ""), values.get("serial", ""), None)
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        asset = InformationAsset.objects.create(code=f"TMP-{uuid.uuid4().hex[:12]}", **values)
        asset.code = f"ACT-{asset.pk:06d}"
        asset.save(update_fields=["code"])
        after = {k: _shown(v) for k, v in values.items()}
        AssetChange.objects.create(
            asset=asset,
            change_type=ChangeType.ALTA,
            description=clean(change_note) or f"Alta de {asset.name} en el inventario.",
            changed_on=day or timezone.localdate(),
            after=after,
            support_document=clean(support_document, 200),
            performed_by=actor,
            performed_by_name=actor_name(actor),
            instance=instance,
            record=record,
        )
        record_event(
            actor=actor,
            action="information_asset.create",
            obj=asset,
            after={"code": asset.code, **after},
        )
    return asset


def do_change_asset(
    asset: InformationAsset,
    *,
    change_type: Any,
    description: Any,
    actor: Any,
    changed_on: Any = None,
    support_document: Any = "",
    instance: Any = None,
    record: Any = None,
    engine_checked: bool = False,
    **fields: Any,
) -> AssetChange:
    """Change an asset (assignment, modification, return, withdrawal) and log it in the Formato
    N° 01 with the fields' values before and after. A withdrawn asset changes no more."""
    access.check(
        actor,
        access.ASSET_EDITORS,
        "Su rol no modifica el inventario de activos.",
        engine_checked=engine_checked,
    )
    errors: dict[str, list[str]] = {}
    kind = str(change_type or "").strip()
    if kind not in ChangeType.values or kind == ChangeType.ALTA:
        errors["change_type"] = [
            "Elija el tipo de cambio: asignación, modificación, devolución o baja."
        ]
    values = _clean_fields(fields, errors)
    text = clean(description)
    if not text:
        errors["description"] = ["Describa el cambio."]
    day = as_date(errors, "changed_on", changed_on, "Fecha del cambio", future_ok=engine_checked)
    if kind == ChangeType.BAJA:
        values["status"] = AssetStatus.DADO_DE_BAJA
    elif kind == ChangeType.ASIGNACION:
        values.setdefault("status", AssetStatus.ASIGNADO)
        if not values.get("assigned_to") and not asset.assigned_to:
            errors["assigned_to"] = ["Indique a quién se asigna el activo."]
    elif kind == ChangeType.DEVOLUCION:
        values.setdefault("status", AssetStatus.DISPONIBLE)
        values.setdefault("assigned_to", "")
    if "serial" in values or "asset_type" in values:
        _check_serial(
            errors,
            values.get("asset_type", asset.asset_type),
            values.get("serial", asset.serial),
            asset.pk,
        )
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        locked = InformationAsset.objects.select_for_update().get(pk=asset.pk)
        if locked.status == AssetStatus.DADO_DE_BAJA:
            raise Conflict("El activo está dado de baja: no admite más cambios.")
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in values.items():
            old = getattr(locked, name)
            if old != value:
                before[name], after[name] = _shown(old), _shown(value)
                setattr(locked, name, value)
        locked.save()
        change = AssetChange.objects.create(
            asset=locked,
            change_type=kind,
            description=text,
            changed_on=day or timezone.localdate(),
            before=before,
            after=after,
            support_document=clean(support_document, 200),
            performed_by=actor,
            performed_by_name=actor_name(actor),
            instance=instance,
            record=record,
        )
        record_event(
            actor=actor,
            action="information_asset.change",
            obj=locked,
            before=before,
            after={"change_type": kind, **after},
        )
    asset.refresh_from_db()
    return change
