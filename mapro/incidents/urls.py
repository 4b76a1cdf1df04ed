"""HTML pages of the incident matrix (SGSI-FOR-006), under ``/incidentes/``."""

from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("exportar/", views.incident_export, name="incident_export"),
    path("nuevo/", views.incident_new, name="incident_new"),
    path("<str:code>/", views.incident_detail, name="incident_detail"),
    path("<str:code>/linea-de-tiempo/", views.incident_timeline, name="incident_timeline"),
    path("<str:code>/acciones/", views.incident_add_action, name="incident_add_action"),
    path("<str:code>/clasificar/", views.incident_classify, name="incident_classify"),
    path("<str:code>/cerrar/", views.incident_close, name="incident_close"),
]
