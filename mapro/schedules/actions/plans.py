"""State changes of the annual cronogramas (``models.plans``): write, sign, version, execute.

Who: any OGTIE staff member writes a draft (the manual has the Profesional para la OGTIE or the
Profesional técnico de redes elaborate it); only a holder of the plan's ``approver_role`` signs
it (the coordinator of infrastructure in S04.03.01.04, S04.03.02.01 and S04.03.03.01), either in
the signing step of the procedure (its effect calls ``do_approve_plan`` with the instance) or in
the register. A signed version never changes (409): ``do_new_plan_version`` copies it into a
draft that the same role signs again, superseding the previous one.

Every line is checked before anything is written: a date outside the cronograma's year, an
unknown role or a rule that gives no date is a field error (``items.<i>.<field>`` for a list of
lines), and nothing is saved.
"""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.rrule import rrulestr
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.organization.models import Role
from mapro.organization.permissions import has_role

from ..choices import PlanOccurrenceStatus, PlanStatus
from ..models import Plan, PlanItem, PlanOccurrence
from ..selectors import READ_ROLES
from .cronogramas import SCHEDULE_MANAGER_ROLES

#: Roles that may sign a cronograma (the approver role of a plan is one of these).
SIGNING_ROLES = SCHEDULE_MANAGER_ROLES
ITEM_FIELDS = (
    "activity",
    "target",
    "equipment_code",
    "starts_on",
    "rrule",
    "responsible_role",
    "responsible",
    "details",
)
MAX_DATES_PER_ITEM = 366
_FORBIDDEN_FREQS = ("SECONDLY", "MINUTELY", "HOURLY")


def can_write_plans(actor: Any) -> bool:
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return bool(actor.is_superuser or has_role(actor, READ_ROLES))


def check_can_write_plans(actor: Any) -> None:
    if not can_write_plans(actor):
        raise Forbidden("Los cronogramas los elabora el personal de la OGTIE.")


def can_sign_plan(actor: Any, plan: Plan) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return has_role(actor, {plan.approver_role})


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "procedure": plan.procedure.code,
        "year": plan.year,
        "version": plan.version,
        "title": plan.title,
        "status": plan.status,
        "approver_role": plan.approver_role,
        "lines": [item_snapshot(i) for i in plan.items.order_by("key")] if plan.pk else [],
    }


def item_snapshot(item: PlanItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "activity": item.activity,
        "target": item.target,
        "equipment_code": item.equipment_code,
        "starts_on": item.starts_on.isoformat(),
        "rrule": item.rrule,
        "responsible_role": item.responsible_role,
        "responsible": item.responsible.get_username() if item.responsible else None,
    }


# --- validation --------------------------------------------------------------------------------


def item_dates(starts_on: datetime.date, rule: str, year: int) -> list[datetime.date]:
    """The dates of a line inside ``year``: ``starts_on``, and the rule's from it to 31/12."""
    if not rule:
        return [starts_on]
    start = datetime.datetime.combine(starts_on, datetime.time())
    end = datetime.datetime(year, 12, 31, 23, 59, 59)
    parsed = rrulestr(f"RRULE:{rule}", dtstart=start)
    dates: list[datetime.date] = []
    for when in parsed.xafter(start - datetime.timedelta(seconds=1), inc=True):
        if when > end or len(dates) > MAX_DATES_PER_ITEM:
            break
        dates.append(when.date())
    return dates


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def check_item(values: dict[str, Any], year: int) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean values of one line and its field errors (empty when valid)."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, label, limit in (
        ("activity", "la actividad", 200),
        ("target", "el equipo o sistema", 200),
    ):
        text = values.get(name)
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            errors[name] = [f"Indique {label}."]
        elif len(text) > limit:
            errors[name] = [f"Use como máximo {limit} caracteres."]
        clean[name] = text
    code = values.get("equipment_code") or ""
    clean["equipment_code"] = code.strip()[:60] if isinstance(code, str) else ""
    day = _as_date(values.get("starts_on"))
    if day is None:
        errors["starts_on"] = ["Indique la fecha programada (aaaa-mm-dd)."]
    elif day.year != year:
        errors["starts_on"] = [f"La fecha debe estar dentro del año {year} del cronograma."]
    clean["starts_on"] = day
    rule = values.get("rrule") or ""
    rule = rule.strip().upper() if isinstance(rule, str) else ""
    if rule.startswith("RRULE:"):
        rule = rule[6:]
    clean["rrule"] = rule
    if rule:
        if any(f"FREQ={f}" in rule for f in _FORBIDDEN_FREQS):
            errors["rrule"] = ["La frecuencia mínima de un cronograma es diaria."]
        elif day is not None and "starts_on" not in errors:
            try:
                dates = item_dates(day, rule, year)
            except (ValueError, TypeError):
                errors["rrule"] = ["Regla de frecuencia no válida (RRULE de RFC 5545)."]
            else:
                if not dates:
                    errors["rrule"] = ["La frecuencia no da ninguna fecha dentro del año."]
                elif len(dates) > MAX_DATES_PER_ITEM:
                    errors["rrule"] = ["Demasiadas fechas para una línea."]
    role = values.get("responsible_role")
    if not isinstance(role, str) or not Role.objects.filter(code=role).exists():
        errors["responsible_role"] = ["Indique un rol responsable existente (código de roles.md)."]
    clean["responsible_role"] = role
    who = values.get("responsible")
    clean["responsible"] = None
    if who not in (None, ""):
        user = get_user_model().objects.filter(username=str(who), is_active=True).first()
        if user is None:
            errors["responsible"] = ["No hay un usuario activo con ese nombre de usuario."]
        clean["responsible"] = user
    details = values.get("details") or {}
    if not isinstance(details, dict):
        errors["details"] = ["Los datos del formato son un objeto (nombre: valor)."]
        details = {}
    clean["details"] = details
    return clean, errors


def check_items(items: Any, year: int) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise InvalidInput(errors={"items": ["Las líneas del cronograma son una lista."]})
    errors: dict[str, list[str]] = {}
    cleaned = []
    for index, values in enumerate(items):
        if not isinstance(values, dict):
            errors[f"items.{index}"] = ["Cada línea es un objeto."]
            continue
        clean, problems = check_item(values, year)
        for field, messages in problems.items():
            errors[f"items.{index}.{field}"] = messages
        cleaned.append(clean)
    if errors:
        raise InvalidInput(errors=errors)
    return cleaned


def _check_header(
    procedure_code: Any, year: Any, title: Any, approver_role: Any
) -> tuple[Any, int, str, str]:
    from mapro.procedures.models import Procedure

    errors: dict[str, list[str]] = {}
    procedure = None
    if isinstance(procedure_code, str) and procedure_code.strip():
        procedure = Procedure.objects.filter(code=procedure_code.strip()).first()
    if procedure is None:
        errors["procedure"] = ["Indique un procedimiento existente (código)."]
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = ["Indique un año entre 2000 y 2100."]
    title = title.strip() if isinstance(title, str) else ""
    if not title:
        errors["title"] = ["Indique el título del cronograma."]
    elif len(title) > 200:
        errors["title"] = ["Use como máximo 200 caracteres."]
    if approver_role not in SIGNING_ROLES:
        errors["approver_role"] = [
            "El cronograma lo firma el Jefe(a) de la OGTIE o un coordinador de equipo."
        ]
    if errors:
        raise InvalidInput(errors=errors)
    return procedure, year, title, approver_role


def _write_items(plan: Plan, cleaned: list[dict[str, Any]], first_key: int = 1) -> None:
    PlanItem.objects.bulk_create(
        [PlanItem(plan=plan, key=first_key + i, **values) for i, values in enumerate(cleaned)]
    )


# --- actions -----------------------------------------------------------------------------------


def do_create_plan(
    *,
    actor: Any,
    procedure_code: str,
    year: int,
    title: str,
    approver_role: str = "coord-infraestructura",
    description: str = "",
    items: list[dict[str, Any]] | None = None,
    instance: Any = None,
) -> Plan:
    """Write a cronograma as a draft (version 1), with its lines; nothing is planned until
    it is signed. A second draft or version 1 of the same procedure and year is refused."""
    check_can_write_plans(actor)
    procedure, year, title, approver_role = _check_header(
        procedure_code, year, title, approver_role
    )
    cleaned = check_items(items or [], year)
    with transaction.atomic():
        if Plan.objects.filter(procedure=procedure, year=year).exists():
            raise InvalidInput(
                errors={
                    "year": [
                        f"Ya hay un cronograma de {procedure.code} para {year}: "
                        "corrija el borrador o cree una nueva versión."
                    ]
                }
            )
        plan = Plan.objects.create(
            procedure=procedure,
            year=year,
            title=title,
            description=(description or "").strip(),
            approver_role=approver_role,
            created_by=actor,
            instance=instance,
        )
        _write_items(plan, cleaned)
        record_event(actor=actor, action="plan.create", obj=plan, after=plan_snapshot(plan))
    return plan


def _locked_draft(plan: Plan) -> Plan:
    current = Plan.objects.select_for_update().select_related("procedure").get(pk=plan.pk)
    if current.status != PlanStatus.DRAFT:
        raise InvalidTransition(
            "Un cronograma firmado no se modifica: cree una nueva versión y fírmela de nuevo."
        )
    return current


def do_update_plan(plan: Plan, *, actor: Any, **changes: Any) -> Plan:
    """Change a draft: ``title``, ``description`` and/or ``items`` (the whole list, replaced;
    a line keeps its number when given ``key``). A signed version is refused (409)."""
    check_can_write_plans(actor)
    unknown = set(changes) - {"title", "description", "items"}
    if unknown:
        raise TypeError(f"Campos desconocidos: {sorted(unknown)}")
    with transaction.atomic():
        current = _locked_draft(plan)
        before = plan_snapshot(current)
        if "title" in changes:
            _, _, current.title, _ = _check_header(
                current.procedure.code, current.year, changes["title"], current.approver_role
            )
        if "description" in changes:
            current.description = (changes["description"] or "").strip()
        if "items" in changes:
            cleaned = check_items(changes["items"], current.year)
            keys = [row.get("key") if isinstance(row, dict) else None for row in changes["items"]]
            current.items.all().delete()
            used = {k for k in keys if isinstance(k, int) and k > 0}
            following = max(used, default=0) + 1
            rows = []
            for key, values in zip(keys, cleaned, strict=True):
                if not (isinstance(key, int) and key > 0):
                    key, following = following, following + 1
                rows.append(PlanItem(plan=current, key=key, **values))
            PlanItem.objects.bulk_create(rows)
        current.save()
        after = plan_snapshot(current)
        record_event(actor=actor, action="plan.update", obj=current, before=before, after=after)
    return current


def do_add_plan_item(plan: Plan, *, actor: Any, **values: Any) -> PlanItem:
    """Add one line to a draft (field errors as for a list, without the ``items.<i>.``)."""
    check_can_write_plans(actor)
    with transaction.atomic():
        current = _locked_draft(plan)
        clean, errors = check_item(values, current.year)
        if errors:
            raise InvalidInput(errors=errors)
        key = (current.items.order_by("-key").values_list("key", flat=True).first() or 0) + 1
        item = PlanItem.objects.create(plan=current, key=key, **clean)
        record_event(actor=actor, action="plan.item_add", obj=current, after=item_snapshot(item))
    return item


def do_approve_plan(
    plan: Plan, *, actor: Any, instance: Any = None, on: datetime.date | None = None
) -> Plan:
    """Sign a draft: the holder of its ``approver_role`` (the signing step's actor). Writes one
    occurrence per planned date of every line; a new version supersedes the one it replaces
    (its pending dates are cancelled, executions carried over to the same line and date)."""
    if actor is None:
        raise Forbidden("Un cronograma lo firma una persona.")
    if not can_sign_plan(actor, plan):
        raise Forbidden(
            f"Este cronograma lo firma quien tiene el rol «{plan.approver_role}»"
            " (el mismo rol firma cada versión)."
        )
    with transaction.atomic():
        current = _locked_draft(plan)
        items = list(current.items.order_by("key"))
        if not items:
            raise InvalidInput(errors={"items": ["El cronograma no tiene líneas que firmar."]})
        carried: dict[tuple[int, datetime.date], PlanOccurrence] = {}
        previous = None
        if current.previous_id is not None:
            previous = Plan.objects.select_for_update().get(pk=current.previous_id)
            for occ in PlanOccurrence.objects.filter(
                plan=previous, status=PlanOccurrenceStatus.DONE
            ).select_related("item"):
                carried[(occ.item.key, occ.due_on)] = occ
        rows = []
        for item in items:
            for day in item_dates(item.starts_on, item.rrule, current.year):
                done = carried.get((item.key, day))
                rows.append(
                    PlanOccurrence(
                        plan=current,
                        item=item,
                        due_on=day,
                        status=done.status if done else PlanOccurrenceStatus.PENDING,
                        executed_on=done.executed_on if done else None,
                        executed_by_name=done.executed_by_name if done else "",
                        evidence=done.evidence if done else "",
                    )
                )
        PlanOccurrence.objects.bulk_create(rows)
        now = timezone.now()
        current.status = PlanStatus.APPROVED
        current.approved_by = actor
        current.approved_by_name = actor_name(actor)
        current.approved_at = now
        if instance is not None:
            current.instance = instance
        current.save()
        if previous is not None:
            previous.status = PlanStatus.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            PlanOccurrence.objects.filter(
                plan=previous, status=PlanOccurrenceStatus.PENDING
            ).update(status=PlanOccurrenceStatus.CANCELLED)
        record_event(
            actor=actor,
            action="plan.approve",
            obj=current,
            before={"status": PlanStatus.DRAFT},
            after={
                "status": current.status,
                "occurrences": len(rows),
                "instance": current.instance_id,
                "supersedes": previous.pk if previous else None,
            },
        )
    return current


def do_new_plan_version(plan: Plan, *, actor: Any) -> Plan:
    """A draft copy of a signed cronograma (version + 1), to correct and sign again by the
    same role. Only the version in force is copied, once (a pending draft is reused: 409)."""
    check_can_write_plans(actor)
    with transaction.atomic():
        current = Plan.objects.select_for_update().select_related("procedure").get(pk=plan.pk)
        if current.status != PlanStatus.APPROVED:
            raise InvalidTransition("Solo se crea una nueva versión del cronograma vigente.")
        if Plan.objects.filter(previous=current).exists():
            raise InvalidTransition("Ya hay una nueva versión en borrador de este cronograma.")
        draft = Plan.objects.create(
            procedure=current.procedure,
            year=current.year,
            version=current.version + 1,
            title=current.title,
            description=current.description,
            approver_role=current.approver_role,
            previous=current,
            created_by=actor,
        )
        PlanItem.objects.bulk_create(
            [
                PlanItem(
                    plan=draft,
                    key=item.key,
                    activity=item.activity,
                    target=item.target,
                    equipment_code=item.equipment_code,
                    starts_on=item.starts_on,
                    rrule=item.rrule,
                    responsible_role=item.responsible_role,
                    responsible_id=item.responsible_id,
                    details=item.details,
                )
                for item in current.items.all()
            ]
        )
        record_event(
            actor=actor,
            action="plan.new_version",
            obj=draft,
            after={"version": draft.version, "previous": current.pk},
        )
    return draft


def do_record_plan_execution(
    occurrence: PlanOccurrence,
    *,
    actor: Any,
    executed_on: datetime.date,
    evidence: str = "",
) -> PlanOccurrence:
    """Mark a planned date as executed (a run record, a procedure step, or by hand); an
    already executed date keeps its first execution (idempotent)."""
    check_can_write_plans(actor)
    with transaction.atomic():
        current = PlanOccurrence.objects.select_for_update().get(pk=occurrence.pk)
        if current.status == PlanOccurrenceStatus.CANCELLED:
            raise InvalidTransition("Esa fecha pertenece a una versión reemplazada.")
        if current.status == PlanOccurrenceStatus.DONE:
            return current
        current.status = PlanOccurrenceStatus.DONE
        current.executed_on = executed_on
        current.executed_by_name = actor_name(actor)
        current.evidence = (evidence or "")[:200]
        current.save()
        record_event(
            actor=actor,
            action="plan.execute",
            obj=current.plan,
            after={
                "item": current.item.key,
                "due_on": current.due_on.isoformat(),
                "executed_on": executed_on.isoformat(),
                "evidence": current.evidence,
            },
        )
    return current


def match_pending_occurrence(
    procedure_code: str,
    on: datetime.date,
    *,
    equipment_code: str = "",
    window_days: int = 7,
) -> PlanOccurrence | None:
    """The pending date of the cronograma in force that an execution on ``on`` fulfils: the
    latest one of a line of that equipment (any line when no code) due by ``on`` plus
    ``window_days`` (work done a few days early counts). Older dates left pending stay
    overdue: a late run does not hide the dates missed before it."""
    qs = PlanOccurrence.objects.filter(
        plan__procedure__code=procedure_code,
        plan__status=PlanStatus.APPROVED,
        status=PlanOccurrenceStatus.PENDING,
        due_on__year=on.year,
        due_on__lte=on + datetime.timedelta(days=window_days),
    )
    if equipment_code:
        qs = qs.filter(item__equipment_code=equipment_code)
    return qs.select_related("item", "plan").order_by("-due_on", "item__key").first()


def do_report_overdue(today: datetime.date | None = None) -> int:
    """The worker's daily job: tell the responsible role (and the signer) of each pending date
    past due, once (``overdue_notified_at``). Returns how many were reported."""
    from mapro.notifications.notices import do_notify

    today = today or timezone.localdate()
    count = 0
    overdue = PlanOccurrence.objects.filter(
        plan__status=PlanStatus.APPROVED,
        status=PlanOccurrenceStatus.PENDING,
        due_on__lt=today,
        overdue_notified_at__isnull=True,
    ).select_related("item", "plan", "plan__procedure")
    for occ in overdue[:500]:
        with transaction.atomic():
            plan = occ.plan
            do_notify(
                roles=sorted({occ.item.responsible_role, plan.approver_role}),
                subject=(
                    f"Cronograma {plan.procedure.code} {plan.year}: «{occ.item.activity}» "
                    f"({occ.item.target}) vencido el {occ.due_on:%d/%m/%Y}"
                ),
                body=(
                    f"La actividad «{occ.item.activity}» sobre {occ.item.target}, programada "
                    f"para el {occ.due_on:%d/%m/%Y} en el cronograma «{plan.title}», no tiene "
                    "ejecución registrada."
                ),
                url=f"/cronogramas/anuales/{plan.pk}/",
                key=f"plan-occurrence:{occ.pk}:overdue",
            )
            PlanOccurrence.objects.filter(pk=occ.pk).update(overdue_notified_at=timezone.now())
            record_event(
                actor=None,
                action="plan.overdue",
                obj=plan,
                after={"item": occ.item.key, "due_on": occ.due_on.isoformat()},
            )
        count += 1
    return count
