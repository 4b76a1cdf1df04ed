"""HTML URLs of the sector's statistics, included under ``/estadistica/``."""

from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mis-envios/", views.representative_home, name="representative_home"),
    path("gestion/", views.team_home, name="team_home"),
    path("envios/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("formatos/<slug:code>/", views.dataset_detail, name="dataset_detail"),
    path(
        "formatos/<slug:code>/plantilla.<str:ext>", views.dataset_template, name="dataset_template"
    ),
    path("documentos/<int:pk>/", views.publication_detail, name="publication_detail"),
    path(
        "documentos/<int:pk>/documento.<str:ext>", views.publication_file, name="publication_file"
    ),
    path("cuadros/<slug:code>.png", views.table_png, name="table_png"),
    path("datos-abiertos/", views.open_data, name="open_data"),
    path(
        "datos-abiertos/<int:pk>/datapackage.json",
        views.open_data_package,
        name="open_data_package",
    ),
    path("datos-abiertos/<int:pk>/<slug:code>.csv", views.open_data_csv, name="open_data_csv"),
]
