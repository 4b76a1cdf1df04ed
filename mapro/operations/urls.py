"""HTML pages of the run records, under ``/ejecuciones/``."""

from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("exportar/", views.run_export, name="run_export"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/evidencia/", views.run_evidence, name="run_evidence"),
    path("<int:pk>/correccion/", views.run_correct, name="run_correct"),
]
