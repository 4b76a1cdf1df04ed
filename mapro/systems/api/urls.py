"""API v1 of the catalogue of information systems (included under ``/api/v1/``)."""

from django.urls import path

from . import views

app_name = "systems-api"

urlpatterns = [
    path("systems/", views.SystemListView.as_view(), name="system-list"),
    path("systems/<int:pk>/", views.SystemDetailView.as_view(), name="system-detail"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<int:pk>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("releases/<int:pk>/deploy/", views.ReleaseDeployView.as_view(), name="release-deploy"),
    path("change-records/", views.ChangeListView.as_view(), name="change-list"),
    path("change-records/<int:pk>/", views.ChangeDetailView.as_view(), name="change-detail"),
    path("quality-reports/", views.ReportListView.as_view(), name="report-list"),
    path("quality-reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("quality-gates/", views.GateListView.as_view(), name="gate-list"),
]
