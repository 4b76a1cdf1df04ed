"""URLs of the documents API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "documents-api"

urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/verify/", views.DocumentVerifyView.as_view(), name="document-verify"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/pdf/", views.DocumentPdfView.as_view(), name="document-pdf"),
    path("documents/<int:pk>/sign/", views.DocumentSignView.as_view(), name="document-sign"),
    path(
        "documents/<int:pk>/external-signature/",
        views.DocumentExternalSignatureView.as_view(),
        name="document-external-signature",
    ),
]
