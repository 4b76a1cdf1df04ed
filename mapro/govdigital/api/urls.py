"""API v1 of the digital-government registers, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "govdigital-api"

urlpatterns = [
    path("pgd/plans/", views.PlanListView.as_view(), name="plan-list"),
    path("pgd/plans/<str:code>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path(
        "pgd/plans/<str:code>/projects/", views.PlanProjectsView.as_view(), name="plan-add-project"
    ),
    path("pgd/projects/", views.ProjectListView.as_view(), name="project-list"),
    path("pgd/projects/<str:code>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("pgd/periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period-detail"),
    path(
        "pgd/periods/<int:pk>/progress/", views.PeriodProgressView.as_view(), name="period-progress"
    ),
    path("cgd/sessions/", views.SessionListView.as_view(), name="session-list"),
    path("cgd/sessions/<str:code>/", views.SessionDetailView.as_view(), name="session-detail"),
    path(
        "cgd/sessions/<str:code>/agreements/",
        views.SessionAgreementsView.as_view(),
        name="session-add-agreement",
    ),
    path("risks/", views.RiskListView.as_view(), name="risk-list"),
    path("risks/heat-map/", views.RiskHeatMapView.as_view(), name="risk-heat-map"),
    path("risks/<str:code>/", views.RiskDetailView.as_view(), name="risk-detail"),
    path("risks/<str:code>/update/", views.RiskUpdateView.as_view(), name="risk-update"),
]
