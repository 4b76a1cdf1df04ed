"""HTML URLs of the data-center register, included under ``/centro-de-datos/``."""

from django.urls import path

from . import views

app_name = "datacenter"

urlpatterns = [
    path("", views.logbook_list, name="logbook_list"),
    path("exportar/", views.logbook_export, name="logbook_export"),
    path("abiertos/", views.open_entries, name="open_entries"),
    path("ingresos/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("ingresos/<int:pk>/salida/", views.entry_exit, name="entry_exit"),
    path("visitas/", views.visit_list, name="visit_list"),
    path("visitas/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visitas/<int:pk>/ingreso/", views.visit_entry, name="visit_entry"),
    path("visitas/<int:pk>/documento/", views.visit_document, name="visit_document"),
    path("visitas/<int:pk>/dipec/", views.visit_check, name="visit_check"),
]
