"""URLs of the documents API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "documents-api"

urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
]
