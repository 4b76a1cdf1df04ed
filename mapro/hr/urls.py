"""HTML pages of integración con recursos humanos (under ``/recursos-humanos/``)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "hr"

urlpatterns: list[URLPattern | URLResolver] = [
    path("alertas/", views.leaver_list, name="leaver_list"),
    path("alertas/exportar/", views.leaver_export, name="leaver_export"),
    path("alertas/<int:pk>/", views.leaver_detail, name="leaver_detail"),
    path("backups-pst/", views.backup_list, name="backup_list"),
    path("backups-pst/exportar/", views.backup_export, name="backup_export"),
    path("conciliaciones/", views.reconciliation_list, name="reconciliation_list"),
    path("conciliaciones/<int:pk>/", views.reconciliation_detail, name="reconciliation_detail"),
    path(
        "conciliaciones/<int:pk>/exportar/",
        views.reconciliation_export,
        name="reconciliation_export",
    ),
    path("diferencias/<int:pk>/atender/", views.difference_attend, name="difference_attend"),
    path("diferencias/<int:pk>/iniciar-baja/", views.difference_start, name="difference_start"),
    path("informe-eliminacion/", views.removal_report, name="removal_report"),
    path(
        "informe-eliminacion/exportar/",
        views.removal_report_export,
        name="removal_report_export",
    ),
]
