"""HTML pages of equipos, dispositivos y restauraciones (under ``/inventarios/``)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "assets"

urlpatterns: list[URLPattern | URLResolver] = [
    path("equipos-telefonicos/", views.phone_list, name="phone_list"),
    path("equipos-telefonicos/exportar/", views.phone_export, name="phone_export"),
    path("equipos-telefonicos/<int:pk>/", views.phone_detail, name="phone_detail"),
    path("equipos-telefonicos/<int:pk>/devolver/", views.phone_return, name="phone_return"),
    path("certificado-digital/", views.cert_list, name="cert_list"),
    path("certificado-digital/exportar/", views.cert_export, name="cert_export"),
    path("certificado-digital/<int:pk>/", views.cert_detail, name="cert_detail"),
    path(
        "certificado-digital/<int:pk>/conformidad/",
        views.cert_conformity,
        name="cert_conformity",
    ),
    path("copias-de-restauracion/", views.restore_list, name="restore_list"),
    path("copias-de-restauracion/exportar/", views.restore_export, name="restore_export"),
    path("copias-de-restauracion/informe/", views.restore_report, name="restore_report"),
    path(
        "copias-de-restauracion/informe/exportar/",
        views.restore_report_export,
        name="restore_report_export",
    ),
    path("copias-de-restauracion/<int:pk>/", views.restore_detail, name="restore_detail"),
    path("bloqueos/", views.block_list, name="block_list"),
    path("bloqueos/exportar/", views.block_export, name="block_export"),
    path("bloqueos/<int:pk>/", views.block_detail, name="block_detail"),
    path("bloqueos/<int:pk>/desactivar/", views.block_deactivate, name="block_deactivate"),
]
