"""Read queries of the help desk: who sees which tickets, the queue (filters, search, keyset
pages), a ticket's visible log and attachments.

Visibility (``tickets_visible_to``), the one place every list, detail, download and API view
asks:

- ``operador-mesa`` and ``jefe-ogtie``: every ticket;
- OGTIE team roles (``access.TEAM_ROLES``): the tickets of their team (the unit of their Person
  and the units under it) and the tickets assigned to them;
- ``director-uo``: the tickets requested from the units of the grant (``unit_scope_q``);
- everyone: the tickets they requested (by Person).

Anything else is 404 (``TicketNotFound``), never 403, so a number does not reveal that a ticket
exists.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, Expression, OuterRef, Q, QuerySet

from mapro.core.compiled import CompiledQuery
from mapro.core.exceptions import InvalidInput, NotFound
from mapro.core.links import url_maker
from mapro.organization.models import Unit
from mapro.organization.permissions import has_role, unit_scope_q
from mapro.procedures.cases import CaseTicket
from mapro.procedures.selectors import instances_visible_to, sees_every_instance

from . import access
from .choices import Status
from .models import Attachment, Category, Ticket, TicketAction
from .request_forms import attach_version, with_request_form_version

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
NUMBER_RE = re.compile(r"^MA-\d{4}-\d{6,}$", re.IGNORECASE)


class TicketNotFound(NotFound):
    default_message = "El ticket no existe o no está en su ámbito."


def visibility_q(user: Any) -> Q | None:
    """The condition a ticket meets to be visible to ``user``; None means every ticket."""
    nothing = Q(pk__in=[])
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return nothing
    if has_role(user, access.DESK_ROLES):
        return None
    q = nothing
    person = access.person_of(user)
    if person is not None:
        q |= Q(requester_id=person.pk)
    path = access.team_path(user)
    if path:
        q |= Q(team_id__in=Unit.objects.filter(path__startswith=path).values("id"))
    if has_role(user, access.STAFF_ROLES):
        q |= Q(assignee_id=user.pk)
    if has_role(user, access.UNIT_VIEWER_ROLES):
        scope = unit_scope_q(user, access.UNIT_VIEWER_ROLES, field="requester_unit")
        if scope is None:
            return None
        q |= scope
    return q


def tickets_visible_to(user: Any) -> QuerySet[Ticket]:
    """The tickets ``user`` may see (list, detail, downloads), newest first."""
    q = visibility_q(user)
    qs = Ticket.objects.all()
    return qs if q is None else qs.filter(q)


def queue_queryset(user: Any) -> QuerySet[Ticket]:
    """Visible tickets with what a queue row shows, joined in the same query."""
    return tickets_visible_to(user).select_related(
        "category", "team", "requester", "requester_unit", "assignee"
    )


#: "Mis solicitudes" "En curso": every ticket not closed, written into the SQL as a constant
#: (the value is not a parameter) so that PostgreSQL matches the partial index
#: ``hd_ticket_requester_open`` in a prepared statement's generic plan too.
NOT_CLOSED_SQL = f"NOT ({{t}}.status = '{Status.CERRADO.value}')"


def status_is(statuses: Iterable[str]) -> TicketCondition:
    """Tickets in one of ``statuses`` (the lists' ``?status=`` filter), the values written into
    the SQL as constants, not parameters.

    The statuses are a small fixed set, checked against ``Status`` here (never a caller's text).
    A prepared statement's generic plan does not know a parameter's value: with the status as
    ``$2`` it could not prove ``hd_ticket_requester_open``'s condition and read all of a
    requester's tickets by bitmap to filter them (61–110 ms for one with 16,031 at 1M tickets);
    with constants it walks the requester's index newest first and stops at the page's end.
    Sorted, so every order of the same statuses is one statement.
    """
    chosen = sorted(set(statuses))
    unknown = [value for value in chosen if value not in Status.values]
    if unknown or not chosen:
        raise ValueError(f"estados desconocidos: {unknown}")
    listed = ", ".join(f"'{value}'" for value in chosen)
    return TicketCondition(f"{{t}}.status IN ({listed})")


def own_tickets(person_id: int, *, open_only: bool, written: bool = False) -> QuerySet[Ticket]:
    """The tickets ``person_id`` requested, all or those not closed ("Mis solicitudes").

    The requester's own tickets are visible to them whatever their roles
    (``visibility_q``), so this is their visibility: no ``tickets_visible_to`` condition to
    repeat, and a plain query that PostgreSQL plans from the requester's indexes (through the
    staff queue's query, it planned from the status index and filtered by requester: issue
    #15). Tickets registered by the person for someone else are not theirs.

    ``written``: the person's id written into the SQL, not a parameter, for a search (whose
    text is written in too, ``search_tickets``): the statement then has no parameter and
    every plan of it knows how many tickets the person has and how common the word is; a
    generic plan for "any requester" read all 16,031 of the bench requester's tickets to find
    a common word's 21 newest.
    """
    if written:
        qs = Ticket.objects.filter(TicketCondition(f"{{t}}.requester_id = {int(person_id)}"))
    else:
        qs = Ticket.objects.filter(requester_id=person_id)
    if open_only:
        qs = qs.filter(TicketCondition(NOT_CLOSED_SQL))
    return qs


def _ticket_page_query(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """``tickets`` with what a ticket's page reads in one statement (``get_ticket_for_user``)."""
    return (
        with_request_form_version(tickets)
        .select_related(
            "category",
            "team",
            "requester",
            "requester__user",
            "requester_unit",
            "assignee",
            # The ticket's case, for the pages and the routing of its actions (its stored
            # workflow state and BPMN stay unread: the engine reads them itself).
            "instance__procedure_version__procedure",
            "instance__unit",
            "survey",
        )
        .defer("instance__state", "instance__procedure_version__bpmn_xml")
    )


#: The ticket's statement for a viewer who sees every ticket and every case (the desk, the
#: Jefe(a)): its only value is the number, so it is compiled once per process (building and
#: compiling it through the ORM was a third of the console's ticket page; issue #15).
_EVERY_TICKET = CompiledQuery(
    lambda number: _ticket_page_query(Ticket.objects.all()).filter(number=number)[:1],
    number="~ningún-ticket~",
)


def get_ticket_for_user(user: Any, number: str) -> Ticket:
    """The ticket ``number`` if ``user`` may see it; TicketNotFound (404) otherwise.

    The same statement reads which version of the category's procedure is published, which
    the ticket's request form depends on (``request_forms``; one statement less per page),
    the ticket's procedure instance with its version and whether ``user`` may see it
    (``case_visible``; three less on a linked ticket's page), and its survey."""
    number = (number or "").upper()
    # A viewer who sees every instance (a global OGTIE role) sees the case whenever there is
    # one: no subquery to build or to run for them.
    every = sees_every_instance(user)
    if every and visibility_q(user) is None:
        found = _EVERY_TICKET.objects(number=number)
        ticket = found[0] if found else None
    else:
        tickets = _ticket_page_query(tickets_visible_to(user))
        if not every:
            # Whether the user may see the case too (its status on the page), in the same
            # statement.
            tickets = tickets.annotate(
                case_visible=Exists(instances_visible_to(user).filter(pk=OuterRef("instance_id")))
            )
        ticket = tickets.filter(number=number).first()
    if ticket is None:
        raise TicketNotFound()
    if every:
        ticket.__dict__["case_visible"] = ticket.instance_id is not None
    attach_version(ticket)
    return ticket


def visible_actions(user: Any, ticket: Ticket) -> QuerySet[TicketAction]:
    """The ticket's log in order; internal notes only for who attends it."""
    qs = ticket.actions.all()
    if not access.sees_internal(user, ticket):
        qs = qs.filter(visible_to_requester=True)
    return qs.order_by("created_at", "id")


def visible_attachments(user: Any, ticket: Ticket) -> QuerySet[Attachment]:
    """The ticket's files; those added with internal notes only for who attends it."""
    qs = ticket.attachments.all()
    if not access.sees_internal(user, ticket):
        qs = qs.filter(Q(action__isnull=True) | Q(action__visible_to_requester=True))
    return qs.order_by("created_at", "id")


def get_attachment_for_user(user: Any, number: str, pk: int) -> Attachment:
    """An attachment the user may download; 404 for anything out of scope."""
    ticket = get_ticket_for_user(user, number)
    attachment = visible_attachments(user, ticket).filter(pk=pk).first()
    if attachment is None:
        raise NotFound("El archivo no existe o no está en su ámbito.")
    return attachment


# --- search ------------------------------------------------------------------------------------


class TicketCondition(Expression):
    """A boolean SQL condition on the ticket table's own columns, ``{t}`` standing for the
    table's alias in the query being compiled.

    Unlike ``RawSQL`` with the table name written in, it stays right when the queryset becomes
    a subquery (Django renames the table there, and a written-in name would silently refer to
    the outer query's row): ``page_of_tickets`` chooses the page's ids in a subquery. Values
    are always parameters.
    """

    conditional = True

    def __init__(self, template: str, *params: Any) -> None:
        super().__init__(output_field=BooleanField())
        self.template = template
        self.params = params

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(t=alias), tuple(self.params)


def _sql_literal(text: str) -> str:
    """``text`` as a PostgreSQL string literal, quoted by psycopg for this connection, ready for
    a ``TicketCondition`` template: its braces doubled (the template is ``str.format``-ed with
    the table's alias) and its percent signs doubled (the statement is sent with parameters,
    so the driver reads ``%`` as a placeholder: "100%" would fail, "%s" would take a value)."""
    from psycopg.sql import Literal

    connection.ensure_connection()
    quoted = Literal(text).as_string(connection.connection)
    return quoted.replace("{", "{{").replace("}", "}}").replace("%", "%%")


def search_tickets(qs: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Tickets of ``qs`` matching ``text``: a ticket number exactly, or words in the subject and
    description. PostgreSQL: full-text (``websearch_to_tsquery('spanish', …)`` on the indexed
    ``search_vector``, so quotes, ``or`` and ``-word`` work). SQLite: every word must appear
    (``icontains``) in the number, subject or description."""
    text = (text or "").strip()
    if not text:
        return qs
    if NUMBER_RE.match(text):
        return qs.filter(number=text.upper())
    if connection.vendor == "postgresql":
        # The text is written into the statement as a literal quoted by the driver (as
        # client-side binding does), not sent as a parameter: a prepared statement's generic
        # plan assumes every word matches 0.5 % of the tickets, so once the console's search
        # had run a few times on a connection it walked the whole table newest first for a
        # rare word (0.9 s at 1M tickets) and a requester's "Todas" intersected bitmaps of
        # their tickets and the word's (30–45 ms for a common word). Each text is its own
        # statement, planned with the word's real frequency (issue #15).
        match = TicketCondition(
            f"{{t}}.search_vector @@ websearch_to_tsquery('spanish', {_sql_literal(text)})"
        )
        return qs.alias(_fts=match).filter(_fts=True)
    for word in text.split()[:10]:
        word = word.strip("\"'")
        if word and word.lower() != "or" and not word.startswith("-"):
            qs = qs.filter(
                Q(number__icontains=word)
                | Q(subject__icontains=word)
                | Q(description__icontains=word)
            )
    return qs


# --- keyset pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketPage:
    """One page of tickets, newest first, and the cursor of the next (older) page."""

    tickets: list[Ticket]
    next_cursor: str | None


@dataclass(frozen=True)
class TicketRowPage:
    """One page of queue rows (plain dicts of ``QUEUE_ROW_FIELDS``) and the next cursor."""

    rows: list[dict[str, Any]]
    next_cursor: str | None


# What a queue row shows (the API list, ``api.serializers.ticket_list_rows``): the ticket's own
# columns and the few columns of its category, team, requester, unit and assignee, read with
# ``.values()`` so that a page builds no model instances (and reads neither ``description`` nor
# ``data``, whose JSON would be decoded for every row).
QUEUE_ROW_FIELDS = (
    "id",
    "number",
    "subject",
    "status",
    "priority",
    "channel",
    "created_at",
    "response_due_at",
    "resolution_due_at",
    "paused_since",
    "category__code",
    "category__name",
    "team__code",
    "team__name",
    "requester_id",
    "requester__first_name",
    "requester__last_name",
    "requester_unit__code",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def cursor_of(created_at: datetime.datetime, pk: int) -> str:
    raw = f"{created_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def encode_cursor(ticket: Ticket | dict[str, Any]) -> str:
    """The cursor of a ticket, or of a row of ``QUEUE_ROW_FIELDS`` (``id``, ``created_at``)."""
    if isinstance(ticket, dict):
        return cursor_of(ticket["created_at"], ticket["id"])
    return cursor_of(ticket.created_at, ticket.pk)


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    """(created_at, id) of a cursor; InvalidInput when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        when = datetime.datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(errors={"cursor": ["El cursor de página no es válido."]}) from None


def _page_queryset(
    qs: QuerySet[Ticket], cursor: str | None, size: int, *, recheck: bool = True
) -> QuerySet[Ticket]:
    """The rows of ``qs`` for one page (``size`` + 1 of them, to tell whether more follow).

    ``recheck=False`` reads the page's rows by id alone (see ``page_of_tickets``)."""
    if cursor:
        when, pk = decode_cursor(cursor)
        after = TicketCondition(
            "({t}.created_at, {t}.id) < (%s, %s)",
            connection.ops.adapt_datetimefield_value(when),
            pk,
        )
        qs = qs.alias(_before_cursor=after).filter(_before_cursor=True)
    # A "deferred join": the page's ids are chosen on the ticket table alone (filters, order,
    # LIMIT, in a subquery) and only those rows are joined to what a row shows
    # (``select_related`` or the joined ``values``). Joined first, PostgreSQL would join every
    # match before sorting whenever the filters rule out walking the created_at index: 524
    # matches of a rare word at 1M tickets were hashed against all 20,000 people
    # (bench/bench_helpdesk_queue.py, docs/benchmarks.md). Still one query; the outer query
    # keeps everything ``qs`` carries (filters re-checked on the page's rows only,
    # select_related, prefetches).
    page_ids = qs.order_by("-created_at", "-id").values("pk")[: size + 1]
    outer = qs if recheck else Ticket.objects.all()
    return outer.filter(pk__in=page_ids).order_by("-created_at", "-id")


def page_of_tickets(
    qs: QuerySet[Ticket],
    *,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    fields: tuple[str, ...] = (),
    recheck: bool = True,
) -> TicketPage:
    """``size`` tickets of ``qs`` older than ``cursor``, newest first, without OFFSET or COUNT.

    The keyset is the row value ``(created_at, id)``, compared as a row so that PostgreSQL walks
    the ``(…, created_at, id)`` indexes from the cursor: a deep page costs what the first does.
    With ``fields`` (which must hold ``id`` and ``created_at``), dicts of those fields instead
    of model instances.

    ``recheck=False``: the outer query reads the page's ids and nothing else, neither ``qs``'s
    filters again nor its ``select_related`` (for a ``qs`` without DISTINCT, read with
    ``fields``). With the filters repeated there, a prepared statement's generic plan (which
    assumes an average requester, two open tickets) read every match of the outer filters
    and sorted them; with ids alone every plan is the subquery's index scan of ``size`` + 1
    entries and as many look-ups by primary key ("Mis solicitudes", docs/benchmarks.md 8).
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    page = _page_queryset(qs, cursor, size, recheck=recheck)
    rows = list(page.values(*fields) if fields else page)
    more = len(rows) > size
    rows = rows[:size]
    return TicketPage(rows, encode_cursor(rows[-1]) if more and rows else None)


def page_of_ticket_rows(
    qs: QuerySet[Ticket], *, cursor: str | None = None, size: int = PAGE_SIZE
) -> TicketRowPage:
    """The page of ``page_of_tickets`` (same query, same keyset), as dicts of
    ``QUEUE_ROW_FIELDS`` instead of model instances: what the API list renders.

    Building six model instances per row (ticket, category, team, person, unit, user) and
    decoding every ticket's ``data`` JSON cost more than the query itself at 50 rows a page.
    The page's rows are read by id alone (``recheck=False`` of ``page_of_tickets``): with the
    visibility repeated in the outer query, a requester's list in a prepared statement's
    generic plan read all their tickets (100 ms for the one with 16,031 at 1M tickets).
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    rows = list(_page_queryset(qs, cursor, size, recheck=False).values(*QUEUE_ROW_FIELDS))
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if more and rows else None
    return TicketRowPage(rows, cursor_of(last["created_at"], last["id"]) if last else None)


def category_for_procedure(code: str) -> Category | None:
    """The category a ticket created by procedure ``code`` gets: the active category mapped to
    it that comes first in the tree (several may map to one procedure, e.g. the four account
    categories to S04.03.01.01; the first is the most general)."""
    if not code:
        return None
    return Category.objects.filter(procedure_code=code, is_active=True).order_by("path").first()


#: How many of the cases a person started without a ticket "Mis solicitudes" lists.
MY_CASES = 20

#: What "Mis solicitudes" shows of each such case. Only these: the case's workflow state
#: (~10 kB a row at 1M) and its version's BPMN (20–60 kB) and ficha are never shown there, and
#: 20 rows of them were most of the bytes the page read.
CASE_ROW_FIELDS = (
    "id",
    "status",
    "started_at",
    "procedure_version__id",
    "procedure_version__procedure__id",
    "procedure_version__procedure__code",
    "procedure_version__procedure__name",
)


def cases_started_by(user: Any, *, running_only: bool) -> list[Any]:
    """The procedure cases ``user`` started that no ticket carries (a ticket's case is shown
    with its ticket), newest first: everything a person started is in "Mis solicitudes"."""
    from django.db.models import Exists, OuterRef

    from mapro.procedures.models import Instance, InstanceStatus

    qs = Instance.objects.filter(started_by=user).filter(
        ~Exists(Ticket.objects.filter(instance_id=OuterRef("pk")))
    )
    if running_only:
        qs = qs.filter(status=InstanceStatus.RUNNING)
    return list(
        qs.select_related("procedure_version__procedure")
        .only(*CASE_ROW_FIELDS)
        .order_by("-started_at", "-id")[:MY_CASES]
    )


def request_form_url(code: str) -> str | None:
    """The portal's request form for procedure ``code`` (its category's), if it has one."""
    from django.urls import reverse

    category = category_for_procedure(code)
    return reverse("helpdesk:ticket_new_form", args=[category.code]) if category else None


def tickets_of_instances(instance_ids: Collection[int]) -> dict[int, CaseTicket]:
    """The ticket of each of these procedure instances that has one (the first linked), with
    its requester and the requester's unit: one query whatever the number of instances.

    Registered as the procedures' case lookup (``procedures.cases``) so that the inboxes show
    what each case is about without the engine importing the help desk."""
    rows = (
        Ticket.objects.filter(instance_id__in=list(instance_ids))
        .select_related("requester", "requester_unit")
        .only(
            "id",
            "number",
            "subject",
            "instance_id",
            "requester__first_name",
            "requester__last_name",
            "requester_unit__code",
            "requester_unit__name",
        )
        .order_by("instance_id", "id")
    )
    found: dict[int, CaseTicket] = {}
    for ticket in rows:
        if ticket.instance_id is not None and ticket.instance_id not in found:
            found[ticket.instance_id] = CaseTicket(
                id=ticket.pk,
                number=ticket.number,
                subject=ticket.subject,
                requester=ticket.requester.full_name,
                unit_code=ticket.requester_unit.code,
                unit_name=ticket.requester_unit.name,
            )
    return found


def ticket_urls(user: Any, typed: Iterable[str]) -> dict[str, str]:
    """The page of each typed "N° de ticket" that names a ticket ``user`` may see:
    ``{typed text: URL}``.

    The registers keep the number as the form said it (docs/architecture.md, "References kept
    as values"); a page shows a link beside it only when it names a real ticket of this help
    desk within the viewer's scope (least privilege: a ticket outside it gets no link, which
    would lead to a 404 and tell that the ticket exists). One statement for all the numbers of
    a page (besides the viewer's Person, read once per request by ``visibility_q`` for a viewer
    without a desk role), none when no text looks like a ticket number (``NUMBER_RE``; case
    and surrounding spaces as typed are forgiven).
    """
    wanted = {text: text.strip().upper() for text in set(typed) if text and text.strip()}
    wanted = {text: number for text, number in wanted.items() if NUMBER_RE.match(number)}
    if not wanted:
        return {}
    found = set(
        tickets_visible_to(user)
        .filter(number__in=set(wanted.values()))
        .values_list("number", flat=True)
    )
    page = url_maker("helpdesk:ticket_detail", "MA-0000-000000")
    return {text: page(number) for text, number in wanted.items() if number in found}


def link_ticket_numbers(user: Any, rows: Iterable[Any], number_of: Any = None) -> None:
    """Set ``ticket_url`` on each of ``rows`` (``ticket_urls`` of its typed number, or None):
    what a page's template shows beside the number. ``number_of(row)`` reads the number
    (default: the row's ``ticket``). One statement for all the rows."""
    rows = list(rows)
    read = number_of or (lambda row: row.ticket)
    urls = ticket_urls(user, (read(row) for row in rows))
    for row in rows:
        row.ticket_url = urls.get(read(row))


def visible_ticket_urls(user: Any, tickets: Iterable[Ticket | None]) -> dict[int, str]:
    """The page of each of these tickets (rows another app read through a foreign key) that
    ``user`` may see: ``{ticket id: URL}``.

    Least privilege: another app's page links to a ticket only when its viewer may open it,
    and shows only its number otherwise (no subject: ``tickets_visible_to`` is what may be
    read of a ticket). No statement for the desk (who sees every ticket) or for no tickets; one
    for all the tickets of a page otherwise (besides the viewer's Person, read once per
    request by ``visibility_q``)."""
    rows = {t.pk: t.number for t in tickets if t is not None}
    if not rows:
        return {}
    q = visibility_q(user)
    if q is None:
        visible = set(rows)
    else:
        visible = set(Ticket.objects.filter(q, pk__in=rows).values_list("pk", flat=True))
    page = url_maker("helpdesk:ticket_detail", "MA-0000-000000")
    return {pk: page(rows[pk]) for pk in visible}
