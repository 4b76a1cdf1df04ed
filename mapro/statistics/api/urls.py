"""URLs of the statistics API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "statistics-api"

urlpatterns = [
    path("statistics/datasets/", views.DatasetListView.as_view(), name="dataset-list"),
    path("statistics/calendar/", views.EntryListView.as_view(), name="entry-list"),
    path("statistics/calendars/", views.CalendarFormulateView.as_view(), name="calendar-formulate"),
    path(
        "statistics/calendars/<int:year>/approve/",
        views.CalendarApproveView.as_view(),
        name="calendar-approve",
    ),
    path("statistics/submissions/", views.SubmissionListView.as_view(), name="submission-list"),
    path(
        "statistics/submissions/<int:pk>/",
        views.SubmissionDetailView.as_view(),
        name="submission-detail",
    ),
    path(
        "statistics/submissions/<int:pk>/evaluate/",
        views.SubmissionEvaluateView.as_view(),
        name="submission-evaluate",
    ),
    path("statistics/designations/", views.DesignationListView.as_view(), name="designation-list"),
]
