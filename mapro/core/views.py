"""The home page ("Inicio") of the signed-in user."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mapro.organization.models import Role, Unit
from mapro.organization.permissions import grants_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Who the user is, the roles they hold today and what they can do (mapro.core.menu)."""
    grants = grants_for(request.user)
    names = dict(Role.objects.filter(code__in={g.role for g in grants}).values_list("code", "name"))
    units = Unit.objects.in_bulk({g.unit_id for g in grants if g.unit_id})
    roles = sorted(
        (
            {"code": g.role, "name": names.get(g.role, ""), "unit": units.get(g.unit_id or 0)}
            for g in grants
        ),
        key=lambda r: (r["code"], str(r["unit"] or "")),
    )
    return render(request, "core/home.html", {"roles": roles})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for an address no view matches: JSON under ``/api/`` (``{"detail"}``, as every API
    error), the HTML page elsewhere. Without it a client of the API got an HTML page for
    ``/api/v1/documents/-1/sign/``."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No encontrado."}, status=404)
    return page_not_found(request, exception)
