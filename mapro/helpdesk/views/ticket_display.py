"""What the portal and the console share on their HTML pages: a ticket's log with its files,
the requirement answers in Spanish, and the request form rendered from a category's
requirements (through ``procedures.html_forms``, the one renderer of JSON Schema forms).

Nothing here changes data: pages read through ``selectors`` and change through ``actions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mapro.procedures import html_forms

from ..actions import reopen_deadline
from ..choices import PAUSED_STATUSES, RUNNING_STATUSES, Status
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


def queue_rows(tickets: list[Ticket], url_of: Any) -> list[dict[str, Any]]:
    """The console queue's rows, every value the row shows computed here, once.

    The template then only reads plain dict keys: the queue's 50 rows used to cost most of
    the page (about 1,800 template lookups through models and related models, a ``{% url %}``
    and three ``|date`` filters per row; issue #15). ``url_of`` turns a ticket number into its
    page's address (``ticket_url_maker``). ``ticket`` stays in each row for callers that
    want the model.
    """
    now = timezone.now()
    rows = []
    for t in tickets:
        facts = ticket_facts(t, now)
        assignee = t.assignee
        due = timezone.localtime(t.resolution_due_at)
        rows.append(
            {
                **facts,
                "ticket": t,
                "number": t.number,
                "url": url_of(t.number),
                "subject": t.subject,
                "status": t.status,
                "status_label": STATUS_LABELS.get(t.status, t.status),
                "priority_label": t.get_priority_display(),
                "category": t.category.name,
                "requester": t.requester.full_name,
                "unit": t.requester_unit.code,
                "team": t.team.code,
                "assignee": (assignee.get_full_name() or assignee.username) if assignee else "",
                "finished": t.status in (Status.RESUELTO, Status.CERRADO),
                "due_iso": due.isoformat(),
                "due_day": due.strftime("%d/%m"),
                "due_time": due.strftime("%H:%M"),
            }
        )
        rows[-1]["html"] = _queue_row_html(rows[-1])
    return rows


# One queue row, as ``helpdesk/console/_results.html`` drew it per row with template tags.
# ``format_html`` escapes every value; building 50 rows this way costs about a tenth of the
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
    if row["paused"]:
        due = mark_safe('<span class="text-body-secondary">Detenido</span>')
    elif row["finished"]:
        due = mark_safe('<span class="text-body-secondary">—</span>')
    else:
        overdue = '<br><span class="badge text-bg-danger">Vencido</span>' if row["overdue"] else ""
        due = format_html(
            _DUE,
            due_iso=row["due_iso"],
            due_day=row["due_day"],
            due_time=row["due_time"],
            overdue=mark_safe(overdue),  # constant markup
        )
    tr_class = ' class="table-danger hd-overdue"' if row["overdue"] else ""
    return format_html(
        _ROW,
        tr_class=mark_safe(tr_class),  # constant markup
        number=row["number"],
        url=row["url"],
        subject=row["subject"],
        category=row["category"],
        unit=row["unit"],
        status_badge=row["status_badge"],
        status_label=row["status_label"],
        priority_badge=row["priority_badge"],
        priority_label=row["priority_label"],
        requester=row["requester"],
        team=row["team"],
        assignee=row["assignee"] or "Sin asignar",
        due=due,
    )


def ticket_url_maker(url_name: str) -> Any:
    """``number → reverse(url_name, args=[number])``, resolved once for a whole page."""
    from django.urls import reverse

    marker = "TICKET-NUMBER"
    template = reverse(url_name, args=[marker])

    def url_of(number: str) -> str:
        return template.replace(marker, number)

    return url_of


def ticket_facts(ticket: Ticket, now: Any = None) -> dict[str, Any]:
    """Flags a ticket page shows beside the ticket (overdue, paused)."""
    return {
        "overdue": is_overdue(ticket, now),
        "paused": ticket.status in PAUSED_STATUSES,
        "status_badge": STATUS_BADGES.get(ticket.status, "text-bg-secondary"),
        "priority_badge": PRIORITY_BADGES.get(ticket.priority, "text-bg-secondary"),
    }
