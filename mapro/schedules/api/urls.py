"""URLs of the cronogramas API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "schedules-api"

urlpatterns = [
    path("schedules/", views.ScheduleListView.as_view(), name="schedule-list"),
    path("schedules/<int:pk>/", views.ScheduleDetailView.as_view(), name="schedule-detail"),
    path(
        "schedules/<int:pk>/approve/", views.ScheduleApproveView.as_view(), name="schedule-approve"
    ),
    path("schedules/<int:pk>/retire/", views.ScheduleRetireView.as_view(), name="schedule-retire"),
]
