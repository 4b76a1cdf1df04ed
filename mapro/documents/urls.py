"""HTML URLs of the official documents, included under ``/documentos/``."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("exportar/", views.document_export, name="document_export"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
]
