"""URLs of the cronogramas API, included under ``/api/v1/``."""

from django.urls import path

from . import plans, views

app_name = "schedules-api"

urlpatterns = [
    path("schedules/", views.ScheduleListView.as_view(), name="schedule-list"),
    path("schedules/<int:pk>/", views.ScheduleDetailView.as_view(), name="schedule-detail"),
    path(
        "schedules/<int:pk>/approve/", views.ScheduleApproveView.as_view(), name="schedule-approve"
    ),
    path("schedules/<int:pk>/retire/", views.ScheduleRetireView.as_view(), name="schedule-retire"),
    path("plans/", plans.PlanListView.as_view(), name="plan-list"),
    path("plans/calendar/", plans.PlanCalendarView.as_view(), name="plan-calendar"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/items/", plans.PlanItemsView.as_view(), name="plan-items"),
    path("plans/<int:pk>/approve/", plans.PlanApproveView.as_view(), name="plan-approve"),
    path(
        "plans/<int:pk>/new-version/", plans.PlanNewVersionView.as_view(), name="plan-new-version"
    ),
    path(
        "plan-occurrences/<int:pk>/execute/",
        plans.OccurrenceExecuteView.as_view(),
        name="plan-occurrence-execute",
    ),
]
