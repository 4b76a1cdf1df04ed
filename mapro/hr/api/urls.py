"""API v1 of integración con recursos humanos (included under ``/api/v1/``)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "hr-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("hooks/hr/leaver/", views.LeaverWebhookView.as_view(), name="leaver-webhook"),
    path("hr/leaver-events/", views.LeaverEventListView.as_view(), name="leaver-event-list"),
    path(
        "hr/mailbox-backups/", views.MailboxBackupCreateView.as_view(), name="mailbox-backup-create"
    ),
    path(
        "hr/directory-deletions/",
        views.DirectoryDeletionCreateView.as_view(),
        name="directory-deletion-create",
    ),
    path("hr/reconciliations/", views.ReconciliationListView.as_view(), name="reconciliation-list"),
    path(
        "hr/reconciliations/<int:pk>/",
        views.ReconciliationDetailView.as_view(),
        name="reconciliation-detail",
    ),
    path(
        "hr/reconciliation-differences/<int:pk>/attend/",
        views.DifferenceAttendView.as_view(),
        name="difference-attend",
    ),
    path("hr/removal-report/", views.RemovalReportView.as_view(), name="removal-report"),
]
