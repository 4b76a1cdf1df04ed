"""API v1 of the incident matrix, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "incidents-api"

urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incident-list"),
    path("incidents/<str:code>/", views.IncidentDetailView.as_view(), name="incident-detail"),
    path(
        "incidents/<str:code>/actions/",
        views.IncidentActionView.as_view(),
        name="incident-add-action",
    ),
    path(
        "incidents/<str:code>/classify/",
        views.IncidentClassifyView.as_view(),
        name="incident-classify",
    ),
    path("incidents/<str:code>/close/", views.IncidentCloseView.as_view(), name="incident-close"),
]
