"""HTML pages of the catalogue of information systems (under ``/sistemas/``)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "systems"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.system_list, name="system_list"),
    path("exportar/", views.system_export, name="system_export"),
    path("<int:pk>/", views.system_detail, name="system_detail"),
    path("versiones/", views.release_list, name="release_list"),
    path("versiones/exportar/", views.release_export, name="release_export"),
    path("versiones/<int:pk>/", views.release_detail, name="release_detail"),
    path("matriz-de-cambios/", views.change_list, name="change_list"),
    path("matriz-de-cambios/exportar/", views.change_export, name="change_export"),
    path("matriz-de-cambios/<int:pk>/", views.change_detail, name="change_detail"),
    path("evidencias-de-calidad/", views.report_list, name="report_list"),
    path("evidencias-de-calidad/exportar/", views.report_export, name="report_export"),
    path("evidencias-de-calidad/subir/", views.report_upload, name="report_upload"),
    path("evidencias-de-calidad/<int:pk>/", views.report_detail, name="report_detail"),
]
