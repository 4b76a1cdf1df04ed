"""HTML URLs of the SGSI registers, included under ``/sgsi/``."""

from django.urls import path

from . import views

app_name = "sgsi"

urlpatterns = [
    path("documentos/", views.document_list, name="document_list"),
    path("documentos/exportar/", views.document_export, name="document_export"),
    path("documentos/nuevo/", views.document_new, name="document_new"),
    path("documentos/<str:code>/", views.document_detail, name="document_detail"),
    path("documentos/<str:code>/version/", views.document_add_version, name="document_add_version"),
    path("documentos/<str:code>/observacion/", views.document_observe, name="document_observe"),
    path(
        "documentos/<str:code>/version/<int:number>/aprobar/",
        views.version_approve,
        name="version_approve",
    ),
    path(
        "documentos/<str:code>/version/<int:number>/archivo/",
        views.version_file,
        name="version_file",
    ),
    path("activos/", views.asset_list, name="asset_list"),
    path("activos/exportar/", views.asset_export, name="asset_export"),
    path("activos/<str:code>/", views.asset_detail, name="asset_detail"),
]
