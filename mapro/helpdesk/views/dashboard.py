"""The help-desk dashboard page (``dashboard.build_dashboard``): open tickets by status, team,
priority and SLA state, the oldest open ones, created against closed per day, per category.
Every figure links to the console's queue with the matching filter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..dashboard import DAYS, SLA_STATES, build_dashboard


@require_GET
@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The dashboard of the viewer's scope (the desk: every ticket; a team: its own); 403 for
    roles that do not attend tickets."""
    board = build_dashboard(request.user)
    # The trend, newest day first, as rows; weeks without any ticket still show (zeros).
    return render(
        request,
        "helpdesk/dashboard.html",
        {
            "board": board,
            "days": list(reversed(board.days)),
            "period": DAYS,
            "sla_states": SLA_STATES,
            "sla_total": sum(board.sla.values()),
        },
    )
