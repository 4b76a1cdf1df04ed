"""The help-desk dashboard page (``dashboard.build_dashboard``): open tickets by status, team,
priority and SLA state, the oldest open ones, created against closed per day, per category.
Every figure links to the console's queue with the matching filter."""

from __future__ import annotations

from html import escape

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from ..dashboard import DAYS, SLA_STATES, Day, build_dashboard

_TREND_ROW = (
    '\n    <tr><td>{day}</td><td class="text-end">{created}</td><td class="text-end">{closed}</td>'
    '<td><div class="hd-bar hd-bar-created" style="width: {created_share}%"></div>'
    '<div class="hd-bar hd-bar-closed" style="width: {closed_share}%"></div></td></tr>\n    '
)


def trend_rows_html(days: list[Day]) -> list[SafeString]:
    """The trend table's rows (90 a page), as the template loop drew them (``|date:"D d/m/Y"``
    and four numbers a row: about 540 template variables, most of the page's rendering; issue
    #15). The weekday's abbreviation is Django's own (``dateformat``, the active language),
    asked once per weekday."""
    weekday: dict[int, str] = {}
    out = []
    for d in days:
        name = weekday.get(d.day.weekday())
        if name is None:
            name = weekday[d.day.weekday()] = escape(str(dateformat.format(d.day, "D")))
        html = _TREND_ROW.format(
            day=f"{name} {d.day:%d/%m/%Y}",
            created=int(d.created),
            closed=int(d.closed),
            created_share=int(d.created_share),
            closed_share=int(d.closed_share),
        )
        out.append(mark_safe(html))  # numbers, a date and an escaped weekday name
    return out


@require_GET
@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The dashboard of the viewer's scope (the desk: every ticket; a team: its own); 403 for
    roles that do not attend tickets."""
    board = build_dashboard(request.user)
    # The trend, newest day first, as rows; weeks without any ticket still show (zeros).
    days = list(reversed(board.days))
    return render(
        request,
        "helpdesk/dashboard.html",
        {
            "board": board,
            "days": days,
            "trend_html": trend_rows_html(days),
            "period": DAYS,
            "sla_states": SLA_STATES,
            "sla_total": sum(board.sla.values()),
        },
    )
