"""HTML URLs of the official documents, included under ``/documentos/``."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("exportar/", views.document_export, name="document_export"),
    path("verificar/", views.document_verify, name="document_verify"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
    path("<int:pk>/firmar/", views.document_sign, name="document_sign"),
    path(
        "<int:pk>/firma-externa/",
        views.document_external_signature,
        name="document_external_signature",
    ),
]
