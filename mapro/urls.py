from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from mapro.accounts.api.views import CallerView
from mapro.core.api.openapi import lazy_spectacular_view

admin.site.site_header = "mapro — administración"
admin.site.site_title = "mapro"
admin.site.index_title = "Administración"

api_v1: list[URLPattern | URLResolver] = [
    # drf-spectacular's views are imported on their first request, not by every worker.
    path("schema/", lazy_spectacular_view("SpectacularAPIView"), name="schema"),
    path("docs/", lazy_spectacular_view("SpectacularRedocView", url_name="schema"), name="docs"),
    path("", include("mapro.procedures.api.urls")),
    path("auth/", include("mapro.accounts.api.urls")),
    path("me/", CallerView.as_view(), name="me"),
    path("", include("mapro.helpdesk.api.urls")),
    path("", include("mapro.iam.api.urls")),
    path("", include("mapro.hr.api.urls")),
    path("", include("mapro.datacenter.api.urls")),
    path("", include("mapro.incidents.api.urls")),
    path("", include("mapro.knowledge.api.urls")),
    path("", include("mapro.assets.api.urls")),
    path("", include("mapro.documents.api.urls")),
    path("", include("mapro.sgsi.api.urls")),
    path("", include("mapro.govdigital.api.urls")),
    path("", include("mapro.systems.api.urls")),
    path("", include("mapro.schedules.api.urls")),
    path("", include("mapro.statistics.api.urls")),
    path("", include("mapro.operations.api.urls")),
    path("", include("mapro.inventory.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("cuenta/", include("mapro.accounts.urls")),
    path("api/v1/", include(api_v1)),
    path("auditoria/", include("mapro.audit.urls")),
    path("mesa-de-ayuda/", include("mapro.helpdesk.urls")),
    path("cuentas-y-accesos/", include("mapro.iam.urls")),
    path("recursos-humanos/", include("mapro.hr.urls")),
    path("centro-de-datos/", include("mapro.datacenter.urls")),
    path("incidentes/", include("mapro.incidents.urls")),
    path("base-de-conocimiento/", include("mapro.knowledge.urls")),
    path("inventarios/", include("mapro.assets.urls")),
    path("documentos/", include("mapro.documents.urls")),
    path("sgsi/", include("mapro.sgsi.urls")),
    path("gobierno-digital/", include("mapro.govdigital.urls")),
    path("sistemas/", include("mapro.systems.urls")),
    path("cronogramas/", include("mapro.schedules.urls")),
    path("ejecuciones/", include("mapro.operations.urls")),
    path("inventario-de-equipos/", include("mapro.inventory.urls")),
    path("avisos/", include("mapro.notifications.urls")),
    path("estadistica/", include("mapro.statistics.urls")),
    path("directorio/", include("mapro.directory.urls")),
    path("", include("mapro.procedures.urls")),
    path("", include("mapro.core.urls")),
]

handler404 = "mapro.core.views.not_found"
