"""URLs of the run records API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "operations-api"

urlpatterns = [
    path("operations/runs/", views.RunListView.as_view(), name="run-list"),
    path("operations/runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path(
        "operations/runs/<int:pk>/evidence/", views.RunEvidenceView.as_view(), name="run-evidence"
    ),
    path(
        "operations/runs/<int:pk>/correction/",
        views.RunCorrectionView.as_view(),
        name="run-correction",
    ),
    path("operations/tokens/", views.TokenListView.as_view(), name="token-list"),
    path(
        "operations/tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"
    ),
]
