"""What the portal and the console share on their HTML pages: a ticket's log with its files,
the requirement answers in Spanish, and the request form rendered from a category's
requirements (through ``procedures.html_forms``, the one renderer of JSON Schema forms).

Nothing here changes data: pages read through ``selectors`` and change through ``actions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as _escape
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import mark_safe

from mapro.core.links import url_maker
from mapro.procedures import html_forms

from ..actions import reopen_deadline
from ..choices import PAUSED_STATUSES, RUNNING_STATUSES, Priority, Status
from ..models import Attachment, Category, Ticket, TicketAction
from ..request_forms import requirements_of
from ..selectors import visible_actions, visible_attachments

STATUS_BADGES: dict[str, str] = {
    Status.REGISTRADO: "text-bg-secondary",
    Status.ASIGNADO: "text-bg-primary",
    Status.EN_ATENCION: "text-bg-info",
    Status.EN_ESPERA: "text-bg-warning",
    Status.DEVUELTO: "text-bg-warning",
    Status.RESUELTO: "text-bg-success",
    Status.CERRADO: "text-bg-dark",
}
PRIORITY_BADGES: dict[str, str] = {
    "critica": "text-bg-danger",
    "alta": "text-bg-warning",
    "media": "text-bg-info",
    "baja": "text-bg-light border",
}


def is_overdue(ticket: Ticket, now: Any = None) -> bool:
    """The resolution due time passed while OGTIE still owes work (paused tickets are not)."""
    now = now or timezone.now()
    return ticket.status in RUNNING_STATUSES and ticket.resolution_due_at < now


def reopen_window_open(ticket: Ticket) -> bool:
    """Whether the reopen rule's window (HELPDESK_REOPEN_DAYS after the solution) is still open."""
    deadline = reopen_deadline(ticket)
    return deadline is not None and timezone.now() <= deadline


def querystring(params: dict[str, Any], **changes: Any) -> str:
    """``params`` (lists allowed) with ``changes`` applied; empty values dropped."""
    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values if v not in (None, "", False))
    return urlencode(pairs)


# --- the log ------------------------------------------------------------------------------------


@dataclass
class LogLine:
    """One action of the ticket's log with the files added with it."""

    action: TicketAction
    files: list[Attachment] = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return not self.action.visible_to_requester

    @property
    def from_label(self) -> str:
        return Status(self.action.from_status).label if self.action.from_status else ""

    @property
    def to_label(self) -> str:
        return Status(self.action.to_status).label if self.action.to_status else ""


def ticket_log(user: Any, ticket: Ticket) -> tuple[list[LogLine], list[Attachment]]:
    """The log the user may see, in order, each line with its files; and every visible file.

    Two queries whatever the log's length (the actions, the attachments).
    """
    files = list(visible_attachments(user, ticket))
    by_action: dict[int, list[Attachment]] = {}
    for attachment in files:
        if attachment.action_id is not None:
            by_action.setdefault(attachment.action_id, []).append(attachment)
    lines = [LogLine(a, by_action.get(a.pk, [])) for a in visible_actions(user, ticket)]
    return lines, files


# --- requirement answers --------------------------------------------------------------------


@dataclass
class Answer:
    label: str
    text: str = ""
    attachment: Attachment | None = None
    missing_file: bool = False


def requirement_answers(ticket: Ticket, files: list[Attachment]) -> list[Answer]:
    """The request's answers in the form's order, in Spanish; file answers link their file.

    File fields hold attachment ids (``Ticket.data``); a file the user may not see (none today:
    requirement files are never internal) shows as "adjunto".
    """
    schema = requirements_of(ticket.category)
    props = schema.get("properties") or {}
    data = dict(ticket.data or {})
    by_pk = {a.pk: a for a in files}
    attachments: dict[str, Attachment | None] = {}
    shown: dict[str, Any] = {}
    for name, value in data.items():
        prop = props.get(name) or {}
        if prop.get("format") == "file":
            attachment = by_pk.get(value) if isinstance(value, int) else None
            attachments[name] = attachment
            shown[name] = attachment.original_name if attachment else "adjunto"
        else:
            shown[name] = value
    names = [n for n in props if n in shown] + [n for n in shown if n not in props and n != "start"]
    answers = []
    for name, item in zip(names, html_forms.describe_data(schema, shown), strict=False):
        is_file = (props.get(name) or {}).get("format") == "file"
        attachment = attachments.get(name)
        answers.append(
            Answer(item.label, item.text, attachment, missing_file=is_file and attachment is None)
        )
    return answers


# --- the requirements form -----------------------------------------------------------------


def file_field_names(category: Category) -> list[str]:
    props = requirements_of(category).get("properties") or {}
    return [n for n, p in props.items() if isinstance(p, dict) and p.get("format") == "file"]


@dataclass
class RequirementsSubmission:
    """A POSTed requirements form: typed ``data`` (files left out), the uploads by field name,
    the raw values to show again, and what could not even be parsed."""

    data: dict[str, Any]
    files: dict[str, Any]
    raw: dict[str, str]
    errors: dict[str, list[str]]
    parsed: html_forms.Submission


def parse_requirements(category: Category, request: HttpRequest) -> RequirementsSubmission:
    """The category's requirement fields of the POST, through ``html_forms.parse_submission``.

    Uploads are *not* stored here: the action checks them by content and stores them itself.
    """
    schema = requirements_of(category)
    sub = html_forms.parse_submission(schema, request.POST, request.FILES)
    names = set(file_field_names(category))
    files = {str(path[0]): upload for path, upload in sub.files if len(path) == 1}
    data = {k: v for k, v in sub.data.items() if k not in names}
    return RequirementsSubmission(data, files, sub.raw, dict(sub.errors), sub)


def requirement_fields(
    category: Category,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    *,
    on_file: dict[str, Attachment | None] | None = None,
) -> list[html_forms.FormField]:
    """The category's requirements as fields to render (``procedures/_form_fields.html``).

    ``on_file`` names file fields the ticket already has (adding information): those are no
    longer required, and say which file is there.
    """
    schema = requirements_of(category)
    fields = html_forms.build_fields(schema, values, errors)
    for f in fields:
        if on_file and f.widget == "file" and f.name in on_file:
            f.required = False
            current = on_file[f.name]
            note = (
                f"Ya adjuntó «{current.original_name}»; seleccione otro archivo solo para "
                "reemplazarlo."
                if current
                else "Ya fue adjuntado; seleccione otro archivo solo para reemplazarlo."
            )
            f.help = f"{f.help} {note}".strip()
    return fields


def values_from_data(category: Category, data: dict[str, Any]) -> dict[str, str]:
    """Stored answers as raw input values (to pre-fill the form when adding information)."""
    names = set(file_field_names(category))
    values: dict[str, str] = {}
    for key, value in (data or {}).items():
        if key in names or isinstance(value, list | dict):
            continue
        if isinstance(value, bool):
            values[key] = "on" if value else ""
        else:
            values[key] = str(value)
    return values


def required_titles(category: Category) -> list[str]:
    """The titles of what a request of this category must carry (shown before choosing it)."""
    schema = requirements_of(category)
    props = schema.get("properties") or {}
    return [str((props.get(n) or {}).get("title") or n) for n in schema.get("required", [])]


STATUS_LABELS: dict[str, str] = dict(Status.choices)


PRIORITY_LABELS: dict[str, str] = dict(Priority.choices)


def queue_rows(tickets: list[dict[str, Any]], url_of: Any) -> list[dict[str, Any]]:
    """The console queue's rows, every value the row shows computed here, once.

    ``tickets`` are dicts of ``selectors.QUEUE_ROW_FIELDS`` (``paging.page_both_ways`` with
    ``fields``): a page builds no model instances and decodes no ``data`` JSON. The template
    then only prints each row's ``html``: the queue's 50 rows used to cost most of the page
    (about 1,800 template lookups through models and related models, a ``{% url %}`` and
    three ``|date`` filters per row; issue #15). ``url_of`` turns a ticket number into its
    page's address (``ticket_url_maker``).
    """
    now = timezone.now()
    rows = []
    for t in tickets:
        status, priority = t["status"], t["priority"]
        due = timezone.localtime(t["resolution_due_at"])
        assignee = ""
        if t["assignee__username"] is not None:
            full = f"{t['assignee__first_name']} {t['assignee__last_name']}".strip()
            assignee = full or t["assignee__username"]
        row = {
            "overdue": status in RUNNING_STATUSES and t["resolution_due_at"] < now,
            "paused": status in PAUSED_STATUSES,
            "status_badge": STATUS_BADGES.get(status, "text-bg-secondary"),
            "priority_badge": PRIORITY_BADGES.get(priority, "text-bg-secondary"),
            "number": t["number"],
            "url": url_of(t["number"]),
            "subject": t["subject"],
            "status": status,
            "status_label": STATUS_LABELS.get(status, status),
            "priority_label": PRIORITY_LABELS.get(priority, priority),
            "category": t["category__name"],
            "requester": f"{t['requester__first_name']} {t['requester__last_name']}".strip(),
            "unit": t["requester_unit__code"],
            "team": t["team__code"],
            "assignee": assignee,
            "finished": status in (Status.RESUELTO, Status.CERRADO),
            "due_iso": due.isoformat(),
            "due_day": due.strftime("%d/%m"),
            "due_time": due.strftime("%H:%M"),
        }
        row["html"] = _queue_row_html(row)
        rows.append(row)
    return rows


# One queue row, as ``helpdesk/console/_results.html`` drew it per row with template tags.
# Every value is escaped (``_queue_row_html``); building 50 rows this way costs about a tenth of the
# template loop (issue #15).
_ROW = (
    "<tr{tr_class}>\n"
    '<td class="hd-check"><input class="form-check-input" type="checkbox" name="numbers" '
    'value="{number}" id="marcar-{number}" aria-label="Marcar {number}"></td>\n'
    '<td>\n<a class="fw-semibold font-monospace text-nowrap" href="{url}">{number}</a>\n'
    '<div class="hd-subject">{subject}</div>\n'
    '<div class="small text-body-secondary d-lg-none">{category} · {unit}</div>\n</td>\n'
    '<td><span class="badge {status_badge}">{status_label}</span></td>\n'
    '<td class="d-none d-md-table-cell"><span class="badge {priority_badge}">'
    "{priority_label}</span></td>\n"
    '<td class="d-none d-lg-table-cell small">{category}</td>\n'
    '<td class="d-none d-lg-table-cell small">{requester}'
    '<div class="text-body-secondary">{unit}</div></td>\n'
    '<td class="d-none d-md-table-cell small">{team}'
    '<div class="text-body-secondary">{assignee}</div></td>\n'
    '<td class="small">{due}</td>\n</tr>\n'
)
_DUE = (
    '<time datetime="{due_iso}" class="text-nowrap">{due_day} '
    '<span class="d-block d-md-inline">{due_time}</span></time>{overdue}'
)


def _queue_row_html(row: dict[str, Any]) -> str:
    # ``html.escape`` is what Django's ``escape`` runs (it adds lazy-string handling and a
    # SafeString per value): every value here is a plain str, so the row is escaped the same
    # way for a quarter of the cost (``test_queue_rows_html``).
    e = _escape
    if row["paused"]:
        due = '<span class="text-body-secondary">Detenido</span>'
    elif row["finished"]:
        due = '<span class="text-body-secondary">—</span>'
    else:
        overdue = '<br><span class="badge text-bg-danger">Vencido</span>' if row["overdue"] else ""
        due = _DUE.format(
            due_iso=e(row["due_iso"]),
            due_day=e(row["due_day"]),
            due_time=e(row["due_time"]),
            overdue=overdue,  # constant markup
        )
    tr_class = ' class="table-danger hd-overdue"' if row["overdue"] else ""
    return mark_safe(  # every value escaped above or constant markup
        _ROW.format(
            tr_class=tr_class,  # constant markup
            number=e(row["number"]),
            url=e(row["url"]),
            subject=e(row["subject"]),
            category=e(row["category"]),
            unit=e(row["unit"]),
            status_badge=e(row["status_badge"]),
            status_label=e(row["status_label"]),
            priority_badge=e(row["priority_badge"]),
            priority_label=e(row["priority_label"]),
            requester=e(row["requester"]),
            team=e(row["team"]),
            assignee=e(row["assignee"] or "Sin asignar"),
            due=due,
        )
    )


#: What a row of "Mis solicitudes" shows (``portal_rows``), and nothing else: two joins (the
#: category, the assignee) where the queue's columns took five.
PORTAL_ROW_FIELDS = (
    "id",
    "number",
    "subject",
    "status",
    "created_at",
    "resolution_due_at",
    "closed_at",
    "category__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)

# One row of "Mis solicitudes", as ``helpdesk/portal/my_tickets.html`` drew it with template
# tags (``portal_rows``; issue #15).
_PORTAL_ROW = (
    '\n  <li class="list-group-item{li_class}">\n'
    '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
    "      <div>\n"
    '        <a class="fw-semibold" href="{url}"><span class="font-monospace">{number}</span>'
    " — {subject}</a>\n"
    '        <div class="small">{category}</div>\n'
    '        <div class="small text-body-secondary">Registrada el <time datetime="{created_iso}">'
    "{created}</time>{assignee}</div>\n"
    "      </div>\n"
    '      <div class="small text-md-end">\n'
    '        <span class="badge {status_badge}">{status_label}</span>\n'
    "        {asks}\n"
    "        {due}\n"
    "        {closed}\n"
    "      </div>\n"
    "    </div>\n"
    "  </li>\n  "
)


def portal_rows(tickets: list[dict[str, Any]], url_of: Any) -> list[dict[str, Any]]:
    """The rows of "Mis solicitudes" from dicts of ``PORTAL_ROW_FIELDS``, each with its
    ``html`` (the template loop's markup, byte for byte: ``test_portal_rows_html``)."""
    e = _escape
    now = timezone.now()
    rows = []
    for t in tickets:
        status = t["status"]
        overdue = status in RUNNING_STATUSES and t["resolution_due_at"] < now
        paused = status in PAUSED_STATUSES
        created = timezone.localtime(t["created_at"])
        assignee = ""
        if t["assignee__username"] is not None:
            full = f"{t['assignee__first_name']} {t['assignee__last_name']}".strip()
            assignee = f" · Atiende: {e(full or t['assignee__username'])}"
        asks = ""
        if status in (Status.EN_ESPERA, Status.DEVUELTO):
            asks = '<div class="fw-semibold text-warning-emphasis">Requiere su respuesta</div>'
        elif status == Status.RESUELTO:
            asks = '<div class="fw-semibold text-success-emphasis">Confirme la solución</div>'
        due = ""
        if status not in (Status.RESUELTO, Status.CERRADO) and not paused:
            when = timezone.localtime(t["resolution_due_at"])
            badge = ' <span class="badge text-bg-danger">Vencido</span>' if overdue else ""
            due = (
                f'<div>Solución prevista: <time datetime="{when.isoformat()}">'
                f"{when:%d/%m/%Y %H:%M}</time>{badge}</div>"
            )
        closed = ""
        if t["closed_at"]:
            closed = f"<div>Cerrada el {timezone.localtime(t['closed_at']):%d/%m/%Y}</div>"
        html = _PORTAL_ROW.format(
            li_class=" hd-overdue" if overdue else "",
            url=e(url_of(t["number"])),
            number=e(t["number"]),
            subject=e(t["subject"]),
            category=e(t["category__name"]),
            created_iso=created.isoformat(),
            created=f"{created:%d/%m/%Y %H:%M}",
            assignee=assignee,
            status_badge=e(STATUS_BADGES.get(status, "text-bg-secondary")),
            status_label=e(STATUS_LABELS.get(status, status)),
            asks=asks,
            due=due,
            closed=closed,
        )
        rows.append(
            {
                "number": t["number"],
                "status": status,
                "overdue": overdue,
                "paused": paused,
                "html": mark_safe(html),  # every value escaped above or constant markup
            }
        )
    return rows


def ticket_url_maker(url_name: str) -> Any:
    """``number → reverse(url_name, args=[number])``, resolved once for a whole page."""
    return url_maker(url_name, "TICKET-NUMBER")


def ticket_facts(ticket: Ticket, now: Any = None) -> dict[str, Any]:
    """Flags a ticket page shows beside the ticket (overdue, paused)."""
    return {
        "overdue": is_overdue(ticket, now),
        "paused": ticket.status in PAUSED_STATUSES,
        "status_badge": STATUS_BADGES.get(ticket.status, "text-bg-secondary"),
        "priority_badge": PRIORITY_BADGES.get(ticket.priority, "text-bg-secondary"),
    }
