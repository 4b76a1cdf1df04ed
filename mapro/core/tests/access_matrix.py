"""Who may open every URL of mapro: the table the permission matrix test checks.

``test_permission_matrix.py`` walks every URL pattern of the project and fails when a pattern
has no row here (or a row names a pattern that no longer exists). For each row it then checks:

- anonymous: an HTML page redirects to the login page, an API endpoint answers 401 JSON
  (or ``anonymous=<status>`` for public rows);
- every allowed role: the answer is one of ``ok``;
- a wrong role, and a user without roles: ``denied`` (403 unless said otherwise);
- out of scope (when ``out_of_scope`` is given): an allowed user asking for an object outside
  their unit scope gets 404.

HOW TO ADD A ROW for a new URL: name the pattern (``path(..., name="...")`` inside an app
namespace), then add ``"<namespace>:<name>": Row(...)`` to ``ROWS`` below, e.g.::

    "helpdesk:ticket_list": Row("html", roles("operador-mesa", "resp-soporte")),
    "helpdesk:ticket_detail": Row(
        "html", roles("operador-mesa"), kwargs=ticket_kwargs, out_of_scope=other_unit_ticket,
    ),
    "helpdesk-api:ticket-complete": Row("api", roles("operador-mesa"), method="post",
                                        data={"data": {}}, ok=(200, 400)),

``allowed`` is a set of role codes from docs/roles.md (``roles(...)``), or ``ANY_USER`` (any
signed-in user), ``STAFF`` (Django staff) or ``PUBLIC`` (no login needed; then give
``anonymous``). A pattern with URL arguments needs ``kwargs``: a dict, or a function taking the
acting user (None for anonymous) that creates what the URL points at (through your app's
actions or factories) and returns the URL kwargs. ``pending`` (a reason naming the issue) skips
the role checks of a row whose objects cannot be built yet; anonymous is still checked.

Admin internals (``admin/...``) are not listed: Django's admin checks ``is_staff`` and model
permissions itself. The admin index is listed, as staff-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction

PUBLIC = "public"
ANY_USER = "any-user"
STAFF = "staff"

KwargsFactory = Callable[[Any], dict[str, Any]]


def roles(*codes: str) -> frozenset[str]:
    return frozenset(codes)


@dataclass(frozen=True)
class Row:
    kind: Literal["html", "api"]
    allowed: str | frozenset[str]
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    denied: int = 403
    anonymous: int | None = None
    kwargs: dict[str, Any] | KwargsFactory | None = None
    out_of_scope: KwargsFactory | None = None
    data: dict[str, Any] | None = None
    login_url_name: str = "accounts:login"
    pending: str = ""


# --- factories of URL kwargs ------------------------------------------------------------------


def audit_event_kwargs(user: Any) -> dict[str, Any]:
    from mapro.audit.actions import record_event

    with transaction.atomic():
        event = record_event(actor=None, action="matrix.check", object_type="test")
    return {"pk": event.pk}


def own_notification_kwargs(user: Any) -> dict[str, Any]:
    """A notice to the acting user (to a new user for the anonymous check); opening it leads to
    the list (its ``url``). Another user's notice is 404: mapro/notifications/tests."""
    from mapro.core.testing import make_user
    from mapro.notifications.actions import do_notify
    from mapro.notifications.models import Notification

    recipient = user if user is not None else make_user()
    with transaction.atomic():
        do_notify(users=[recipient], subject="Aviso de la matriz", url="/avisos/")
    notice = Notification.objects.filter(recipient=recipient).order_by("-id").first()
    assert notice is not None
    return {"pk": notice.pk}


def published_procedure_kwargs(user: Any) -> dict[str, Any]:
    """Publish the fichas of ``procedures/`` (idempotent) and point at S04.02.00.03."""
    from mapro.procedures.testing import publish_all

    publish_all()
    return {"code": "S04.02.00.03"}


def _started_instance() -> Any:
    """An instance of S04.02.00.03 started by its own coord-innovacion (task 1 is open)."""
    from mapro.core.testing import make_user
    from mapro.procedures.actions import do_start_instance

    published_procedure_kwargs(None)
    return do_start_instance("S04.02.00.03", actor=make_user("coord-innovacion"))


def instance_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": _started_instance().pk}


def open_task_kwargs(user: Any) -> dict[str, Any]:
    """The open task 1 of a new instance: coord-innovacion may take it."""
    return {"pk": _started_instance().work_items.get(state="open").pk}


def _helpdesk_rows() -> dict[str, Row]:
    from mapro.helpdesk import access as helpdesk_access
    from mapro.helpdesk.testing import (
        other_attachment_kwargs,
        other_ticket_kwargs,
        own_attachment_kwargs,
        own_ticket_kwargs,
    )

    desk = roles("operador-mesa", "jefe-ogtie")

    def desk_row(status: str, data: dict[str, Any]) -> Row:
        return Row(
            "api", desk, method="post", data=data, kwargs=other_ticket_kwargs(status), denied=404
        )

    def requester_row(status: str, data: dict[str, Any]) -> Row:
        return Row(
            "api",
            ANY_USER,
            method="post",
            data=data,
            kwargs=own_ticket_kwargs(status),
            out_of_scope=other_ticket_kwargs(status),
        )

    return {
        "helpdesk:attachment_download": Row(
            "html", ANY_USER, kwargs=own_attachment_kwargs, out_of_scope=other_attachment_kwargs
        ),
        "helpdesk-api:category-list": Row("api", ANY_USER),
        "helpdesk-api:ticket-list": Row("api", ANY_USER),
        # The desk and the coordinators may assign (each ticket is checked again by the
        # action); the role is checked before the body, so an empty body is 400 only for them.
        "helpdesk-api:ticket-bulk-assign": Row(
            "api",
            frozenset(helpdesk_access.DESK_ROLES | helpdesk_access.COORDINATOR_ROLES),
            method="post",
            ok=(400,),
        ),
        "helpdesk-api:ticket-detail": Row(
            "api", ANY_USER, kwargs=own_ticket_kwargs(), out_of_scope=other_ticket_kwargs()
        ),
        "helpdesk-api:ticket-attachments": Row(
            "api", ANY_USER, kwargs=own_ticket_kwargs(), out_of_scope=other_ticket_kwargs()
        ),
        "helpdesk-api:ticket-attachment-download": Row(
            "api", ANY_USER, kwargs=own_attachment_kwargs, out_of_scope=other_attachment_kwargs
        ),
        "helpdesk-api:ticket-assign": desk_row("registrado", {"team": "OGTIE"}),
        "helpdesk-api:ticket-start": desk_row("asignado", {}),
        "helpdesk-api:ticket-hold": desk_row("en_atencion", {"reason": "Falta el anexo."}),
        "helpdesk-api:ticket-return": desk_row("registrado", {"observations": "Falta el acta."}),
        "helpdesk-api:ticket-resolve": desk_row("en_atencion", {"solution": "Reinicio."}),
        "helpdesk-api:ticket-close": desk_row("resuelto", {}),
        "helpdesk-api:ticket-reclassify": desk_row("asignado", {"impact": "alto"}),
        "helpdesk-api:ticket-add-information": requester_row("en_espera", {"body": "Es el 123."}),
        "helpdesk-api:ticket-comment": requester_row("registrado", {"body": "¿Alguna novedad?"}),
        "helpdesk-api:ticket-confirm": requester_row("resuelto", {}),
        "helpdesk-api:ticket-reject": requester_row("resuelto", {"reason": "Sigue fallando."}),
        "helpdesk-api:ticket-reopen": requester_row("resuelto", {"reason": "Volvió a fallar."}),
        "helpdesk-api:ticket-survey": requester_row("resuelto", {"rating": 4, "comment": ""}),
        "helpdesk-api:survey-report": Row("api", frozenset(helpdesk_access.DESK_ROLES)),
        # The dashboard: the desk sees every ticket, the teams their own (scope tested in
        # mapro/helpdesk/tests/test_dashboard.py); other roles 403.
        "helpdesk-api:ticket-dashboard": Row("api", frozenset(helpdesk_access.STAFF_ROLES)),
    }


def _helpdesk_ui_rows() -> dict[str, Row]:
    """The portal (any employee) and the console (the roles that attend tickets).

    Console pages check the role first (403 for requesters), then the ticket's visibility
    (404). Console action rows name the desk roles only, to keep the matrix quick: each allowed
    role gets its own ticket; the team roles are covered by mapro/helpdesk/tests.
    """
    from mapro.helpdesk.access import STAFF_ROLES
    from mapro.helpdesk.testing import (
        SOLVED_AT_5,
        other_ticket_kwargs,
        own_ticket_kwargs,
        procedure_step_kwargs,
    )

    desk = roles("operador-mesa", "jefe-ogtie")

    def console_row(status: str, data: dict[str, Any] | None = None) -> Row:
        return Row(
            "html",
            desk,
            method="post",
            data=data or {},
            kwargs=other_ticket_kwargs(status),
            ok=(302,),
        )

    def portal_row(status: str, data: dict[str, Any]) -> Row:
        return Row(
            "html",
            ANY_USER,
            method="post",
            data=data,
            kwargs=own_ticket_kwargs(status),
            out_of_scope=other_ticket_kwargs(status),
            ok=(302,),
        )

    return {
        # Mail links redirect to the console or the portal page.
        "helpdesk:ticket_detail": Row(
            "html",
            ANY_USER,
            kwargs=own_ticket_kwargs(),
            out_of_scope=other_ticket_kwargs(),
            ok=(302,),
        ),
        "helpdesk:my_tickets": Row("html", ANY_USER),
        "helpdesk:ticket_new": Row("html", ANY_USER),
        "helpdesk:ticket_new_form": Row("html", ANY_USER, kwargs=_simple_category_kwargs),
        "helpdesk:portal_ticket": Row(
            "html", ANY_USER, kwargs=own_ticket_kwargs(), out_of_scope=other_ticket_kwargs()
        ),
        "helpdesk:portal_add_information": portal_row("en_espera", {"body": "Es el piso 3."}),
        "helpdesk:portal_confirm": portal_row("resuelto", {}),
        "helpdesk:portal_reject": portal_row("resuelto", {"reason": "Sigue fallando."}),
        "helpdesk:portal_comment": portal_row("registrado", {"body": "¿Alguna novedad?"}),
        "helpdesk:portal_reopen": portal_row("cerrado", {"reason": "Volvió a fallar."}),
        "helpdesk:portal_survey": portal_row("resuelto", {"rating": "5"}),
        "helpdesk:survey_report": Row("html", desk),
        "helpdesk:console_queue": Row("html", frozenset(STAFF_ROLES)),
        "helpdesk:dashboard": Row("html", frozenset(STAFF_ROLES)),
        "helpdesk:console_bulk_assign": Row(
            "html", desk, method="post", data={"numbers": [], "team": "OGTIE"}, ok=(302,)
        ),
        "helpdesk:console_ticket": Row("html", desk, kwargs=other_ticket_kwargs()),
        "helpdesk:console_validate": console_row("registrado", {"cumple": "si", "team": "OGTIE"}),
        "helpdesk:console_assign": console_row("asignado", {"team": "OGTIE"}),
        "helpdesk:console_return": console_row("asignado", {"observations": "Falta el acta."}),
        "helpdesk:console_start": console_row("asignado"),
        "helpdesk:console_hold": console_row("en_atencion", {"reason": "Falta el anexo."}),
        "helpdesk:console_resolve": console_row("en_atencion", {"solution": "Reinicio."}),
        "helpdesk:console_comment": console_row(
            "registrado", {"body": "Revisar.", "interna": "on"}
        ),
        "helpdesk:console_attach": Row(
            "html", desk, method="post", kwargs=other_ticket_kwargs(), ok=(200,)
        ),
        # The procedure's activity 5 with its own fields: only who holds its role.
        "helpdesk:console_step": Row(
            "html",
            roles("resp-soporte"),
            method="post",
            data=SOLVED_AT_5,
            kwargs=procedure_step_kwargs,
            ok=(302,),
        ),
        "helpdesk:console_close": console_row("resuelto"),
        "helpdesk:console_reclassify": console_row("asignado", {"impact": "alto"}),
        "helpdesk:console_reopen": console_row("resuelto", {"reason": "Volvió a fallar."}),
    }


def _simple_category_kwargs(user: Any) -> dict[str, Any]:
    from mapro.helpdesk.testing import simple_category

    return {"code": simple_category().code}


# --- the table --------------------------------------------------------------------------------

AUDIT_VIEWERS = roles("jefe-ogtie", "esp-seguridad-info")

ROWS: dict[str, Row] = {
    # core
    "core:home": Row("html", ANY_USER),
    # accounts
    "accounts:login": Row("html", PUBLIC, anonymous=200, ok=(302,)),
    "accounts:logout": Row("html", PUBLIC, method="post", anonymous=302, ok=(302,)),
    "accounts:unlock": Row("html", PUBLIC, anonymous=200, ok=(200,)),
    "auth-api:token": Row("api", PUBLIC, method="post", data={}, anonymous=400, ok=(400,)),
    "auth-api:me": Row("api", ANY_USER),
    "me": Row("api", ANY_USER),
    # API schema and its documentation are published
    "schema": Row("api", PUBLIC, anonymous=200),
    "docs": Row("html", PUBLIC, anonymous=200),
    # admin
    "admin:index": Row("html", STAFF, denied=302, login_url_name="admin:login"),
    # notifications: each user's own notices (any signed-in user)
    "notifications:list": Row("html", ANY_USER),
    "notifications:open": Row("html", ANY_USER, ok=(302,), kwargs=own_notification_kwargs),
    "notifications:mark_all": Row("html", ANY_USER, method="post", ok=(302,)),
    "notifications:preference": Row(
        "html", ANY_USER, method="post", ok=(302,), data={"mail_delivery": "digest"}
    ),
    # audit
    "audit:event_list": Row("html", AUDIT_VIEWERS),
    "audit:event_detail": Row("html", AUDIT_VIEWERS, kwargs=audit_event_kwargs),
    "audit:event_export": Row("html", AUDIT_VIEWERS),
    "audit:chain_verify": Row("html", AUDIT_VIEWERS, method="post"),
    # procedures (HTML). Instance and task pages: whoever may not see the instance gets 404
    # (a global OGTIE role such as coord-innovacion sees every instance).
    "procedures:catalog": Row("html", ANY_USER),
    "procedures:inbox": Row("html", ANY_USER),
    "procedures:procedure_detail": Row("html", ANY_USER, kwargs=published_procedure_kwargs),
    "procedures:procedure_bpmn": Row("html", ANY_USER, kwargs=published_procedure_kwargs),
    "procedures:procedure_start": Row(
        "html",
        roles("coord-innovacion"),
        method="post",
        data={"start": "baja"},
        kwargs=published_procedure_kwargs,
        ok=(302,),
    ),
    "procedures:instance_detail": Row(
        "html", roles("coord-innovacion"), kwargs=instance_kwargs, denied=404
    ),
    "procedures:instance_bpmn": Row(
        "html", roles("coord-innovacion"), kwargs=instance_kwargs, denied=404
    ),
    "procedures:instance_cancel": Row(
        "html",
        roles("jefe-ogtie"),
        method="post",
        data={"reason": "Registrado por error."},
        kwargs=instance_kwargs,
        ok=(302,),
        denied=404,
    ),
    "procedures:task_detail": Row(
        "html", roles("coord-innovacion"), kwargs=open_task_kwargs, denied=404
    ),
    # A new instance has no earlier activity: the right role gets the page with the error.
    "procedures:task_return": Row(
        "html",
        roles("coord-innovacion"),
        method="post",
        data={"to_activity": "1", "reason": "Datos incompletos."},
        kwargs=open_task_kwargs,
        ok=(400,),
        denied=404,
    ),
    # The "Devolver" panel's targets, fetched when opened (a new instance has none: still 200).
    "procedures:task_return_targets": Row(
        "html", roles("coord-innovacion"), kwargs=open_task_kwargs, denied=404
    ),
    "procedures:instance_move": Row(
        "html",
        roles("jefe-ogtie"),
        method="post",
        data={"to_activity": "1", "reason": "No puede seguir."},
        kwargs=instance_kwargs,
        ok=(400,),
        denied=404,
    ),
    # procedures (API)
    "procedures-api:procedure-list": Row("api", ANY_USER),
    "procedures-api:task-list": Row("api", ANY_USER),
    "procedures-api:procedure-detail": Row("api", ANY_USER, kwargs=published_procedure_kwargs),
    "procedures-api:procedure-bpmn": Row("api", ANY_USER, kwargs=published_procedure_kwargs),
    "procedures-api:procedure-instances": Row(
        "api",
        roles("coord-innovacion"),
        method="post",
        data={"start": "baja", "data": {}},
        kwargs=published_procedure_kwargs,
        ok=(201,),
    ),
    "procedures-api:instance-detail": Row(
        "api", roles("coord-innovacion"), kwargs=instance_kwargs, denied=404
    ),
    "procedures-api:task-detail": Row(
        "api", roles("coord-innovacion"), kwargs=open_task_kwargs, denied=404
    ),
    # A new instance has no earlier activity yet: the right role gets the 400 naming the field.
    "procedures-api:task-return": Row(
        "api",
        roles("coord-innovacion"),
        method="post",
        data={"to_activity": 1, "reason": "Datos incompletos."},
        kwargs=open_task_kwargs,
        ok=(400,),
        denied=404,
    ),
    "procedures-api:instance-move": Row(
        "api",
        roles("jefe-ogtie"),
        method="post",
        data={"to_activity": 1, "reason": "No puede seguir."},
        kwargs=instance_kwargs,
        ok=(400,),
        denied=404,
    ),
    "procedures-api:instance-cancel": Row(
        "api",
        roles("jefe-ogtie"),
        method="post",
        data={"reason": "Registrado por error."},
        kwargs=instance_kwargs,
        ok=(200,),
        denied=404,
    ),
    "procedures-api:task-complete": Row(
        "api",
        roles("coord-innovacion"),
        method="post",
        data={
            "data": {
                "proyecto_oficio": "OFICIO-123-2026",
                "unidades_consultadas": [{"unidad": "OGTIE"}],
            }
        },
        kwargs=open_task_kwargs,
        denied=404,
    ),
    # --- help desk (mapro.helpdesk) ---------------------------------------------------------
    # Tickets come from mapro.helpdesk.testing (made through the actions by the system). A
    # requester's own ticket for the requester rows; someone else's for the desk rows, so a
    # wrong role gets 404 (the ticket is outside their scope), never a hint that it exists.
    **_helpdesk_rows(),
    # Portal and console (HTML): see _helpdesk_ui_rows.
    **_helpdesk_ui_rows(),
}


def _app_rows() -> dict[str, Row]:
    """Rows kept by each app beside its own tests: ``mapro/<app>/tests/access_rows.py``
    defining ``ROWS: dict[str, Row]`` (same format as above; import ``Row``, ``roles``… from
    this module). Keeps this file from being everyone's merge point."""
    import importlib

    from django.conf import settings

    found: dict[str, Row] = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("mapro."):
            continue
        try:
            module = importlib.import_module(f"{app}.tests.access_rows")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.tests.access_rows":
                raise
            continue
        for name, row in module.ROWS.items():
            if name in ROWS or name in found:
                raise ValueError(f"La fila {name!r} está dos veces en la matriz de permisos.")
            found[name] = row
    return found


ROWS.update(_app_rows())
