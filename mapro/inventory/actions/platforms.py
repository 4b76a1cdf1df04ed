"""Actions on the security platforms (S04.04.00.01): responsibles, profiles, access, activity.

Only the cybersecurity team manages them (``access.MANAGERS_BY_KIND``): the coordinator assigns
the responsibles (actividad 1), the Técnico informático especialista creates profiles and users
(2-3) and records each line of actividad 4. Every event is recorded on the platform (an
``Equipment`` of kind ``plataforma-seguridad``), so its history shows who got access and when.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from mapro.audit.actions import record_event
from mapro.core.exceptions import Conflict, InvalidInput

from ..access import check_manager
from ..choices import EquipmentKind, PlatformActivityKind
from ..models import Equipment, Maintenance, PlatformAccount, PlatformActivity, PlatformProfile
from .common import parse_date, resolve_person, text, today


def platform_by_code(code: Any, field: str = "plataforma") -> Equipment:
    """The security platform with inventory code ``code``; 400 on ``field`` otherwise."""
    raw = text(code)
    platform = Equipment.objects.filter(code__iexact=raw).first() if raw else None
    if platform is None:
        raise InvalidInput(errors={field: [f"No hay en el inventario un equipo «{raw}»."]})
    if platform.kind != EquipmentKind.PLATAFORMA_SEGURIDAD:
        raise InvalidInput(
            errors={field: [f"{platform.code} no es una plataforma de seguridad informática."]}
        )
    if platform.is_retired:
        raise InvalidInput(errors={field: [f"La plataforma {platform.code} está dada de baja."]})
    return platform


@transaction.atomic
def do_assign_platform_responsibles(
    platform: Equipment, *, primary: Any, secondary: Any, actor: Any, check: bool = True
) -> Equipment:
    """Set the primary and secondary responsible (two different people, by DNI or Person)."""
    platform = Equipment.objects.select_for_update().get(pk=platform.pk)
    check_manager(actor, platform.kind, check=check)
    errors: dict[str, list[str]] = {}
    people: dict[str, Any] = {}
    for key, raw in (("primary", primary), ("secondary", secondary)):
        try:
            people[key] = resolve_person(raw)
        except LookupError:
            errors[key] = ["No hay una persona registrada con ese DNI."]
            continue
        if people[key] is None:
            errors[key] = ["Indique el responsable."]
    if not errors and people["primary"] == people["secondary"]:
        errors["secondary"] = ["El responsable secundario debe ser otra persona."]
    if errors:
        raise InvalidInput(errors=errors)
    before = {
        "responsible": str(platform.responsible or ""),
        "backup_responsible": str(platform.backup_responsible or ""),
    }
    platform.responsible = people["primary"]
    platform.backup_responsible = people["secondary"]
    platform.save(update_fields=["responsible", "backup_responsible", "updated_at"])
    record_event(
        actor=actor,
        action="equipment.responsibles",
        obj=platform,
        before=before,
        after={
            "responsible": str(platform.responsible),
            "backup_responsible": str(platform.backup_responsible),
        },
    )
    return platform


@transaction.atomic
def do_create_platform_profile(
    platform: Equipment, *, name: str, functions: str = "", actor: Any, check: bool = True
) -> PlatformProfile:
    """Add an administration profile (unique name per platform: 409 when it exists)."""
    check_manager(actor, platform.kind, check=check)
    name = text(name, 100)
    if not name:
        raise InvalidInput(errors={"name": ["Indique el nombre del perfil."]})
    if PlatformProfile.objects.filter(platform=platform, name__iexact=name).exists():
        raise Conflict(f"La plataforma {platform.code} ya tiene el perfil «{name}».")
    profile = PlatformProfile.objects.create(
        platform=platform, name=name, functions=text(functions, 4000)
    )
    record_event(
        actor=actor,
        action="platform_profile.create",
        obj=platform,
        after={"profile": profile.name, "functions": profile.functions},
    )
    return profile


@transaction.atomic
def do_grant_platform_access(
    platform: Equipment,
    *,
    username: str,
    profile: str | PlatformProfile,
    person: Any = None,
    full_admin: bool = False,
    vaulted: bool = False,
    granted_on: Any = None,
    instance: Any = None,
    actor: Any,
    check: bool = True,
) -> PlatformAccount:
    """Create a user with ``profile`` on the platform (actividad 3).

    The full-administration user must be kept on the asymmetric-encryption device
    (``vaulted``); a username already active on the platform is a 409.
    """
    check_manager(actor, platform.kind, check=check)
    errors: dict[str, list[str]] = {}
    username = text(username, 100)
    if not username:
        errors["username"] = ["Indique el usuario."]
    found = (
        profile
        if isinstance(profile, PlatformProfile)
        else PlatformProfile.objects.filter(platform=platform, name__iexact=text(profile)).first()
    )
    if found is None:
        errors["profile"] = [f"La plataforma {platform.code} no tiene el perfil «{profile}»."]
    try:
        holder = resolve_person(person)
    except LookupError:
        errors["person"] = ["No hay una persona registrada con ese DNI."]
        holder = None
    if full_admin and not vaulted:
        errors["vaulted"] = [
            "El usuario de administración total se almacena en un equipo con cifrado asimétrico."
        ]
    try:
        granted = parse_date(granted_on) or today()
    except ValueError:
        errors["granted_on"] = ["Fecha no válida (AAAA-MM-DD)."]
        granted = today()
    if errors or found is None:
        raise InvalidInput(errors=errors)
    try:
        with transaction.atomic():
            account = PlatformAccount.objects.create(
                platform=platform,
                profile=found,
                username=username,
                person=holder,
                full_admin=bool(full_admin),
                vaulted=bool(vaulted),
                granted_on=granted,
                instance=instance,
            )
    except IntegrityError as exc:
        raise Conflict(f"El usuario {username} ya tiene acceso a {platform.code}.") from exc
    record_event(
        actor=actor,
        action="platform_account.grant",
        obj=platform,
        after={
            "username": username,
            "profile": account.profile.name,
            "person": str(holder or ""),
            "full_admin": account.full_admin,
        },
    )
    return account


@transaction.atomic
def do_revoke_platform_access(
    account: PlatformAccount, *, reason: str, actor: Any, check: bool = True
) -> PlatformAccount:
    """End a user's access (409 if already ended; the reason is required)."""
    current = (
        PlatformAccount.objects.select_for_update().select_related("platform").get(pk=account.pk)
    )
    check_manager(actor, current.platform.kind, check=check)
    if not text(reason):
        raise InvalidInput(errors={"reason": ["Indique el motivo."]})
    if current.revoked_on is not None:
        raise Conflict("Ese acceso ya fue retirado.")
    current.revoked_on = today()
    current.save(update_fields=["revoked_on"])
    record_event(
        actor=actor,
        action="platform_account.revoke",
        obj=current.platform,
        after={"username": current.username, "reason": text(reason, 500)},
    )
    return current


@transaction.atomic
def do_record_platform_activity(
    platform: Equipment,
    *,
    kind: str,
    summary: str,
    performed_on: Any = None,
    reports_required: bool = False,
    maintenance: Maintenance | None = None,
    instance: Any = None,
    actor: Any,
    check: bool = True,
) -> PlatformActivity:
    """Record one line of actividad 4 on the platform (rules, logs, back up, maintenance)."""
    check_manager(actor, platform.kind, check=check)
    errors: dict[str, list[str]] = {}
    if kind not in PlatformActivityKind.values:
        errors["kind"] = ["Línea de actividad no válida."]
    if not text(summary):
        errors["summary"] = ["Describa lo realizado."]
    try:
        day = parse_date(performed_on) or today()
    except ValueError:
        errors["performed_on"] = ["Fecha no válida (AAAA-MM-DD)."]
        day = today()
    if errors:
        raise InvalidInput(errors=errors)
    activity = PlatformActivity.objects.create(
        platform=platform,
        kind=kind,
        summary=text(summary, 8000),
        performed_on=day,
        reports_required=bool(reports_required),
        maintenance=maintenance,
        instance=instance,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(
        actor=actor,
        action="platform_activity.record",
        obj=platform,
        after={"activity": activity.pk, "kind": kind, "performed_on": day.isoformat()},
    )
    return activity


def link_activity_document(activity: PlatformActivity, document: Any, *, field: str) -> None:
    """Attach the informe (or the referral to DIRAB) a later step issued. Runs inside the
    step's transaction; the document's own issue is audited by ``mapro.documents``."""
    setattr(activity, field, document)
    activity.save(update_fields=[field])
