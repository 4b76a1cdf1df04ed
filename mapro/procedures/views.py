"""The HTML screens of the procedure engine: catalogue, ficha, inbox, task form and instance.

Views only parse input, call the runtime's selectors and actions, and render. ``InvalidInput``
is shown beside the fields; every other refusal (``NotFound`` 404, ``Forbidden`` 403,
``Conflict`` 409) becomes its error page in one place, ``mapro.core.middleware``.
Visibility is the selectors' (``get_instance_for_user``, ``get_work_item_for_user``): whatever
lies outside the user's scope is a 404.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.core.exceptions import Conflict, InvalidInput
from mapro.organization.models import Unit
from mapro.organization.permissions import has_role

from . import html_forms
from .actions import (
    CANCEL_ROLE,
    activity,
    do_cancel_instance,
    do_complete_task,
    do_start_instance,
)
from .effects import HISTORY_ONLY
from .entries import request_url, starts_with_request
from .exceptions import EngineError, ProcedureNotFound
from .ficha import REQUESTING_UNIT
from .ficha.compiler import activity_id, form_schema
from .ficha.loader import load_inventory
from .ficha.roles import ROLE_NAMES
from .inbox_html import inbox_rows_html
from .internal import hidden_steps
from .models import (
    Instance,
    InstanceStatus,
    Procedure,
    TaskRecord,
    TaskRecordKind,
    WorkItem,
    WorkItemRole,
    WorkItemState,
)
from .rewind import MOVE_ROLE, move_targets
from .routing import start_asks_unit, unit_by_code, units_for_starter
from .selectors import (
    can_take,
    get_instance_for_user,
    get_work_item_for_user,
    inbox_filter,
    inbox_page,
    inbox_rows,
    instance_history,
    instance_open_items,
    procedure_choices,
    published_procedures,
    recent_instances_of,
)
from .task_submit import check_form_shown, shown_fields, submit_task_form

logger = logging.getLogger(__name__)

#: An activity ``unit`` that means "the unit the instance concerns".
REQUESTING_UNIT_LABEL = "Unidad de organización solicitante"
STATUS_BADGES = {
    InstanceStatus.RUNNING: "text-bg-primary",
    InstanceStatus.COMPLETED: "text-bg-success",
    InstanceStatus.CANCELLED: "text-bg-secondary",
    InstanceStatus.FAILED: "text-bg-danger",
}
EFFECT_LABELS = {
    "document": "Documento",
    "ticket": "Ticket",
    "register": "Registro",
    "mail": "Correo a",
    "notify": "Notifica a",
}
TICKET_LABELS = {
    "create": "se registra",
    "assign": "se asigna",
    "annotate": "se anota",
    "close": "se cierra",
}


# --- ficha helpers ---------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _inventory_at(path: str, mtime: float) -> dict[str, Any] | None:
    return load_inventory(path)


def inventory() -> dict[str, Any] | None:
    """The ``Inventario de procesos`` of the procedures directory, re-read when it changes."""
    directory = Path(settings.MAPRO_PROCEDURES_DIR)
    path = directory / "_inventario.yaml"
    if not path.exists():
        return None
    return _inventory_at(str(directory), path.stat().st_mtime)


def _unit_names(codes: set[str]) -> dict[str, str]:
    codes = codes - REQUESTING_UNIT
    if not codes:
        return {}
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def _unit_label(code: str, names: dict[str, str]) -> str:
    if code in REQUESTING_UNIT:
        return REQUESTING_UNIT_LABEL
    name = names.get(code)
    return f"{code} — {name}" if name and name != code else code


def _fixed_unit_label(item: WorkItem, code: str) -> str:
    """The label of an activity's fixed unit: the item's own unit (read with the item) when
    it went there, as it does unless the activity is one task per unit; else looked up."""
    unit = item.unit
    if unit is not None and unit.code == code:
        return _unit_label(code, {code: unit.name})
    return _unit_label(code, _unit_names({code}))


def _role_names(codes: list[str]) -> list[str]:
    return [ROLE_NAMES.get(code, code) for code in codes]


def _effect_text(effect: dict[str, Any]) -> str:
    parts = []
    for key, value in effect.items():
        if key == HISTORY_ONLY:  # the reason is for whoever reads the ficha, not the history
            continue
        label = EFFECT_LABELS.get(key, key)
        if key == "notify" and isinstance(value, list):
            value = ", ".join(_role_names([str(v) for v in value]))
        elif key == "ticket":
            return f"Ticket: {TICKET_LABELS.get(str(value), value)}"
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


def _flow_text(act: dict[str, Any]) -> str:
    """What follows an activity, as the manual says it."""
    if act.get("decision"):
        decision = act["decision"]
        branches = "; ".join(
            f"{b.get('title')}: "
            + ("fin" if b.get("next") == "end" else f"ir a la actividad {b.get('next')}")
            for b in decision.get("branches", [])
        )
        return f"{decision.get('question')} {branches}."
    if act.get("parallel"):
        parallel = act["parallel"]
        branches = ", ".join(str(b) for b in parallel.get("branches", []))
        return (
            f"Continúa en paralelo con las actividades {branches}; "
            f"se unen en la actividad {parallel.get('join')}."
        )
    nxt = act.get("next")
    if nxt == "end":
        return "Fin del procedimiento."
    if nxt is not None:
        return f"Continúa con la actividad {nxt}."
    return ""


def _activity_rows(ficha: dict[str, Any]) -> list[dict[str, Any]]:
    acts = ficha.get("activities", [])
    units = _unit_names({str(a.get("unit") or "") for a in acts})
    return [
        {
            "n": act.get("n"),
            "name": act.get("name", ""),
            "description": act.get("description", ""),
            "unit": _unit_label(str(act.get("unit") or ""), units),
            "unit_code": str(act.get("unit") or ""),
            "unit_name": units.get(str(act.get("unit") or ""), ""),
            "roles": _role_names(list(act.get("roles", []))),
            "flow": _flow_text(act),
            "effects": [_effect_text(e) for e in act.get("effects") or [] if isinstance(e, dict)],
        }
        for act in acts
    ]


def _startable(
    user: Any, ficha: dict[str, Any], request_entry: str | None = None
) -> list[dict[str, Any]]:
    """The ways to start the user may use: they hold a role of the start's first activity.

    A start that begins with a request (``entries.starts_with_request``) is asked for through
    ``request_entry`` when there is one, not started here.
    """
    starts = []
    for start in ficha.get("starts", []):
        if request_entry and starts_with_request(ficha, start):
            continue
        first = activity(ficha, int(start.get("activity", 0)))
        if has_role(user, first.get("roles", [])):
            starts.append(
                {
                    "key": start.get("key"),
                    "label": start.get("label", ""),
                    "ask_unit": start_asks_unit(start),
                }
            )
    return starts


def _start_unit_context(user: Any, starts: list[dict[str, Any]]) -> dict[str, Any]:
    """The requesting-unit choice of the start form, where a start asks for it (``ask_unit``):
    only the units the user may start for (``routing.units_for_starter``)."""
    prompt = next((s["ask_unit"] for s in starts if s.get("ask_unit")), None)
    if prompt is None:
        return {"unit_prompt": None}
    person = getattr(user, "person", None)
    return {
        "unit_prompt": prompt,
        "unit_choices": list(units_for_starter(user).only("pk", "code", "name")),
        "own_unit_id": person.unit_id if person is not None else None,
    }


# --- catalogue and procedure -----------------------------------------------------------------


@require_GET
@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    """Every procedure of the Inventario de procesos, linked when it has a published version."""
    published = {p.code: p for p in published_procedures()}
    listed: set[str] = set()

    def entries(procedures: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows = []
        for proc in procedures or []:
            code = str(proc.get("code"))
            listed.add(code)
            rows.append(
                {"code": code, "name": proc.get("name", ""), "published": published.get(code)}
            )
        return rows

    inv = inventory() or {}
    levels = []
    for level1 in inv.get("level1", []):
        levels.append(
            {
                "code": level1.get("code"),
                "name": level1.get("name"),
                "procedures": entries(level1.get("procedures", [])),
                "level2": [
                    {
                        "code": level2.get("code"),
                        "name": level2.get("name"),
                        "procedures": entries(level2.get("procedures", [])),
                    }
                    for level2 in level1.get("level2", []) or []
                ],
            }
        )
    others = [p for code, p in published.items() if code not in listed]
    total = len(listed)
    return render(
        request,
        "procedures/catalog.html",
        {
            "inventory": inv,
            "levels": levels,
            "others": others,
            "total": total,
            "published_count": sum(1 for code in listed if code in published),
        },
    )


def _published_or_404(code: str) -> Procedure:
    procedure = published_procedures().filter(code=code).first()
    if procedure is None or procedure.current_version is None:
        raise ProcedureNotFound("Procedimiento no encontrado o sin versión publicada.")
    return procedure


@require_GET
@login_required
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The ficha of the current version as the manual presents it, with its diagram."""
    procedure = _published_or_404(code)
    version = procedure.current_version
    assert version is not None
    ficha = version.ficha
    inv = inventory() or {}
    process_names = {
        item.get("code"): item.get("name")
        for level1 in inv.get("level1", [])
        for item in [level1, *(level1.get("level2") or [])]
    }
    process = ficha.get("process") or {}
    entry = request_url(procedure.code)
    asks = entry is not None and any(
        starts_with_request(ficha, start) for start in ficha.get("starts", [])
    )
    starts = _startable(request.user, ficha, entry)
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "version": version,
            "ficha": ficha,
            "level1": (process.get("level1"), process_names.get(process.get("level1"))),
            "level2": (process.get("level2"), process_names.get(process.get("level2"))),
            "activities": _activity_rows(ficha),
            "starts": starts,
            "request_entry": entry if asks else None,
            **_start_unit_context(request.user, starts),
            "instances": recent_instances_of(request.user, procedure),
            "status_badges": STATUS_BADGES,
            "bpmn_url": reverse("procedures:procedure_bpmn", args=[procedure.code]),
        },
    )


def _bpmn_response(xml: str, filename: str) -> HttpResponse:
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.bpmn"'
    return response


@require_GET
@login_required
def procedure_bpmn(request: HttpRequest, code: str) -> HttpResponse:
    """The BPMN 2.0 XML of the current version, as a download."""
    procedure = (
        Procedure.objects.filter(code=code, current_version__isnull=False)
        .select_related("current_version")
        .first()
    )
    if procedure is None or procedure.current_version is None:
        raise ProcedureNotFound("Procedimiento no encontrado o sin versión publicada.")
    return _bpmn_response(procedure.current_version.bpmn_xml, procedure.code)


@require_POST
@login_required
def procedure_start(request: HttpRequest, code: str) -> HttpResponse:
    """Start an instance (``do_start_instance``) and go to its page."""
    start = request.POST.get("start") or None
    unit_code = (request.POST.get("unit") or "").strip()
    back = reverse("procedures:procedure_detail", args=[code])
    entry = _request_entry_for(code, start)
    if entry is not None:  # one way to ask: the request form creates the ticket and the case
        messages.info(request, "Este procedimiento se solicita con el formulario de solicitud.")
        return redirect(entry)
    try:
        unit = unit_by_code(unit_code) if unit_code else None
        instance = do_start_instance(code, start=start, unit=unit, actor=request.user)
    except InvalidInput as exc:
        detail = " ".join(m for msgs in exc.errors.values() for m in msgs) or exc.message
        messages.error(request, detail)
        return redirect(back)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except EngineError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"Se inició el expediente N° {instance.pk}.")
    return redirect("procedures:instance_detail", pk=instance.pk)


def _request_entry_for(code: str, start: str | None) -> str | None:
    """The request form to go to instead of starting ``start`` of ``code`` here, if any."""
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
    version = procedure.current_version if procedure is not None else None
    if version is None:
        return None
    starts = version.ficha.get("starts", [])
    chosen = next(
        (s for s in starts if s.get("key") == start), starts[0] if len(starts) == 1 else None
    )
    if chosen is None or not starts_with_request(version.ficha, chosen):
        return None
    return request_url(code)


# --- inbox -----------------------------------------------------------------------------------


#: The inbox's filters in the URL (Spanish, as the page says them) -> the selector's values.
_INBOX_DUE = {"vencidas": "overdue", "hoy": "today", "semana": "week"}
_INBOX_ORDER = {"antiguas": "created_at", "recientes": "-created_at", "vencimiento": "due_at"}
_INBOX_DUE_CHOICES = [
    ("", "Cualquier fecha"),
    ("vencidas", "Vencidas"),
    ("hoy", "Vencen hoy"),
    ("semana", "Vencen esta semana"),
]
_INBOX_ORDER_CHOICES = [
    ("antiguas", "Más antiguas primero"),
    ("recientes", "Más recientes primero"),
    ("vencimiento", "Próximas a vencer primero"),
]
_INBOX_PARAMS = {"procedure": "procedimiento", "due": "vence", "ordering": "orden"}


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """ "Mis tareas": the user's open work items by role and unit scope, 50 at a time, each
    saying what its case is (ticket number and subject, or procedure and number), who asked,
    from which unit, and when it is due.

    Filters in the URL: ``?procedimiento=<code>``, ``?vence=vencidas|hoy|semana`` (the old
    ``?vencidas=1`` still works) and ``?orden=antiguas|recientes|vencimiento``; a value that
    is not one of these goes back to the whole inbox with a message saying which. Constant
    queries whatever the number of items (``inbox_page``, ``inbox_rows``); ``?cursor=`` shows
    the next page, and a cursor that is not ours shows the first one.
    """
    get = request.GET
    chosen = {
        "procedimiento": get.get("procedimiento", ""),
        "vence": get.get("vence", "vencidas" if get.get("vencidas") == "1" else ""),
        "orden": get.get("orden", ""),
    }
    cursor = get.get("cursor") or None
    now = timezone.now()
    try:
        only = inbox_filter(
            procedure=chosen["procedimiento"] or None,
            due=_INBOX_DUE.get(chosen["vence"], chosen["vence"] or None),
            ordering=_INBOX_ORDER.get(chosen["orden"], chosen["orden"] or None),
        )
    except InvalidInput as exc:
        names = ", ".join(f"«{_INBOX_PARAMS.get(f, f)}»" for f in exc.errors)
        messages.error(request, f"El filtro {names} no es válido; se muestran todas sus tareas.")
        return redirect("procedures:inbox")
    filters = {key: value for key, value in chosen.items() if value}
    try:
        page = inbox_page(request.user, cursor=cursor, now=now, only=only)
    except InvalidInput:
        return redirect(f"{reverse('procedures:inbox')}?{urlencode(filters)}".rstrip("?"))
    rows = inbox_rows(page.items, now)
    return render(
        request,
        "procedures/inbox.html",
        {
            "rows": rows,
            "rows_html": inbox_rows_html(rows),
            "overdue_count": sum(1 for r in rows if r.overdue),
            "next_cursor": page.next_cursor,
            "is_first_page": cursor is None,
            "only_overdue": only.due == "overdue",
            "filtered": bool(filters.keys() - {"orden"}),
            "chosen": chosen,
            "filter_query": urlencode(filters),
            "procedures": procedure_choices(),
            "due_choices": _INBOX_DUE_CHOICES,
            "order_choices": _INBOX_ORDER_CHOICES,
        },
    )


# --- history ---------------------------------------------------------------------------------


def history_with_notes(
    instance: Instance,
) -> tuple[list[TaskRecord], dict[tuple[int, int], str]]:
    """The instance's history in order, and what each effect's handler said about it
    (``(record id, effect position) → note``, e.g. "Nadie recibió el aviso…"), in one statement:
    the records joined to their effect outcomes (a record comes once per outcome and is folded
    here) instead of one read for the records and one for the outcomes (issue #15)."""
    rows = instance_history(instance).annotate(
        outcome_position=F("effect_outcomes__position"),
        outcome_detail=F("effect_outcomes__detail"),
    )
    records: dict[int, TaskRecord] = {}
    notes: dict[tuple[int, int], str] = {}
    for record in rows:
        records.setdefault(record.pk, record)
        position = getattr(record, "outcome_position", None)
        if position is not None:
            detail = getattr(record, "outcome_detail", None) or {}
            notes[(record.pk, position)] = detail.get("resumen") or detail.get("reason") or ""
    return list(records.values()), notes


def _timeline(
    instance: Instance,
    user: Any,
    read: tuple[list[TaskRecord], dict[tuple[int, int], str]] | None = None,
) -> list[dict[str, Any]]:
    """The history as ``user`` may read it: internal answers (``internal``) left out.
    ``read``: the instance's records and effect notes when the caller already read them
    (``history_with_notes``)."""
    ficha = instance.procedure_version.ficha
    hidden = hidden_steps(user, instance)
    schemas: dict[int, dict[str, Any]] = {}
    entries = []
    history, notes = history_with_notes(instance) if read is None else read
    for record in history:
        if record.kind != TaskRecordKind.COMPLETED:  # a return or a move (rewind.py)
            entries.append({"record": record, "rewind": True, "items": [], "effects": []})
            continue
        if record.n in hidden:
            entries.append({"record": record, "items": [], "internal": True, "effects": []})
            continue
        if record.n not in schemas:
            try:
                schemas[record.n] = form_schema(ficha, record.n)
            except KeyError:
                schemas[record.n] = {}
        entries.append(
            {
                "record": record,
                "items": html_forms.describe_data(schemas[record.n], record.data or {}),
                "effects": [
                    {"text": _effect_text(e), "note": notes.get((record.pk, j), "")}
                    for j, e in enumerate(record.effects or [])
                    if isinstance(e, dict)
                ],
            }
        )
    return entries


def _diagram_marks(open_items: list[WorkItem], history: list[TaskRecord]) -> dict[str, str]:
    current = sorted({activity_id(item.n) for item in open_items})
    done = sorted({activity_id(record.n) for record in history} - set(current))
    return {"completed": json.dumps(done), "current": json.dumps(current)}


# --- task ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task's form (from the activity's JSON Schema); POST completes it (do_complete_task).

    The action is the one judge of a submission (visibility, role, still open, the form's
    rules): the page calls it once and shows its field errors beside the inputs. Its other
    refusals become the error pages of ``MaproErrorMiddleware``.
    """
    item = get_work_item_for_user(request.user, pk)
    if request.method == "GET":
        return task_page(request, item)
    instance = item.instance
    try:
        answer = submit_task_form(
            request, item, lambda data: do_complete_task(item.pk, data, actor=request.user)
        )
    except EngineError as exc:
        messages.error(request, exc.message)
        return redirect("procedures:instance_detail", pk=instance.pk)
    if not answer.completed:
        return render(
            request,
            "procedures/task_detail.html",
            {
                **_task_context(request, item),
                "fields": answer.fields,
                "errors": answer.errors,
                "general_errors": answer.general_errors,
                "focus": answer.focus,
            },
        )
    messages.success(request, f"Actividad {item.n} completada: {item.name}.")
    return redirect("procedures:instance_detail", pk=instance.pk)


def _task_context(request: HttpRequest, item: WorkItem) -> dict[str, Any]:
    """What the task page shows besides its form: the activity, its unit and roles, the
    history, and the earlier activities the task may be returned to (``rewind.py``)."""
    instance = item.instance
    ficha = instance.procedure_version.ficha
    act = activity(ficha, item.n)
    may_take = item.state == WorkItemState.OPEN and can_take(request.user, item)
    timeline = _timeline(instance, request.user)
    return {
        "item": item,
        "instance": instance,
        "procedure": instance.procedure_version.procedure,
        "activity": act,
        # A "U.O." task's own unit (routed: requesting unit, unit field, one task per unit).
        "unit": _fixed_unit_label(item, str(act.get("unit") or ""))
        if act.get("unit") not in REQUESTING_UNIT
        else str(item.unit or instance.unit or REQUESTING_UNIT_LABEL),
        "roles": _role_names(list(item.roles)),
        "timeline": timeline,
        "status_badges": STATUS_BADGES,
        # The return targets need the workflow's state (a read and a parse): the folded
        # "Devolver" panel fetches them when opened (``task_return_targets``); a task can only
        # go back once some activity was completed (issue #15).
        "may_return": may_take
        and any(e["record"].kind == TaskRecordKind.COMPLETED for e in timeline),
        "return_targets": None,
    }


def task_page(
    request: HttpRequest, item: WorkItem, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The task page: its form when it is open (``task_forms``), what was done otherwise."""
    context = _task_context(request, item)
    if item.state == WorkItemState.OPEN:
        check_form_shown(request.user, item)
        context["fields"] = shown_fields(item, request.user)
    return render(request, "procedures/task_detail.html", {**context, **extra}, status=status)


# --- instance --------------------------------------------------------------------------------


def instance_page(
    request: HttpRequest, instance: Instance, status: int = 200, **extra: Any
) -> HttpResponse:
    # The deadline notices (mapro.schedules) show who was reminded, or that nobody was.
    # One query each for the items (with their unit), their role rows (with theirs) and the
    # notices; the history is read once for the timeline and the diagram (issue #15).
    open_items = list(
        instance_open_items(instance)
        .select_related("unit")
        .prefetch_related(
            Prefetch("role_rows", queryset=WorkItemRole.objects.select_related("unit")),
            "deadline_notices",
        )
    )
    read = history_with_notes(instance)
    history = read[0]
    ficha = instance.procedure_version.ficha
    start_label = next(
        (s.get("label") for s in ficha.get("starts", []) if s.get("key") == instance.start_key),
        instance.start_key,
    )
    tasks = [
        {
            "item": item,
            "roles": _role_names(list(item.roles)),
            "can_take": can_take(request.user, item),
            "overdue": item.due_at is not None and item.due_at < timezone.now(),
        }
        for item in open_items
    ]
    return render(
        request,
        "procedures/instance_detail.html",
        {
            "instance": instance,
            "procedure": instance.procedure_version.procedure,
            "ficha": ficha,
            "start_label": start_label,
            "tasks": tasks,
            "timeline": _timeline(instance, request.user, read),
            "marks": _diagram_marks(open_items, history),
            "can_cancel": instance.status == InstanceStatus.RUNNING
            and has_role(request.user, CANCEL_ROLE),
            # The Jefe(a) moves a running or failed instance to an activity it has run.
            "move_targets": move_targets(instance)
            if instance.status in (InstanceStatus.RUNNING, InstanceStatus.FAILED)
            and has_role(request.user, MOVE_ROLE)
            else [],
            "status_badges": STATUS_BADGES,
            "bpmn_url": reverse("procedures:instance_bpmn", args=[instance.pk]),
            **extra,
        },
        status=status,
    )


@require_GET
@login_required
def instance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An instance: status, history, open tasks and the diagram with its progress."""
    return instance_page(request, get_instance_for_user(request.user, pk))


@require_GET
@login_required
def instance_bpmn(request: HttpRequest, pk: int) -> HttpResponse:
    """The BPMN of the version the instance runs on (which may not be the current one)."""
    instance = get_instance_for_user(request.user, pk)
    version = instance.procedure_version
    return _bpmn_response(version.bpmn_xml, f"{version.procedure.code}-v{version.manual_version}")


@require_POST
@login_required
def instance_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a running instance with a reason (jefe-ogtie; ``do_cancel_instance``)."""
    instance = get_instance_for_user(request.user, pk)
    reason = request.POST.get("reason", "")
    try:
        do_cancel_instance(instance, reason, actor=request.user)
    except InvalidInput as exc:
        return instance_page(
            request,
            instance,
            cancel_errors=exc.errors.get("reason", [exc.message]),
            cancel_reason=reason,
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("procedures:instance_detail", pk=instance.pk)
    messages.success(request, f"Se anuló el expediente N° {instance.pk}.")
    return redirect("procedures:instance_detail", pk=instance.pk)
