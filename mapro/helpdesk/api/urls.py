"""URLs of the help-desk API, included under ``/api/v1/``."""

from django.urls import path

from . import dashboard, views

app_name = "helpdesk-api"

urlpatterns = [
    path("ticket-categories/", views.CategoryListView.as_view(), name="category-list"),
    path("tickets/", views.TicketListView.as_view(), name="ticket-list"),
    path("ticket-dashboard/", dashboard.DashboardView.as_view(), name="ticket-dashboard"),
    path("ticket-surveys/report/", views.SurveyReportView.as_view(), name="survey-report"),
    path("tickets/bulk-assign/", views.BulkAssignView.as_view(), name="ticket-bulk-assign"),
    path("tickets/<str:number>/", views.TicketDetailView.as_view(), name="ticket-detail"),
    path(
        "tickets/<str:number>/attachments/",
        views.TicketAttachmentsView.as_view(),
        name="ticket-attachments",
    ),
    path(
        "tickets/<str:number>/attachments/<int:pk>/download/",
        views.TicketAttachmentDownloadView.as_view(),
        name="ticket-attachment-download",
    ),
    *[
        path(f"tickets/<str:number>/{name}/", views.transition_view(name), name=f"ticket-{name}")
        for name in views.TRANSITIONS
    ],
]
