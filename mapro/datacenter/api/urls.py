"""URLs of the data-center API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "datacenter-api"

urlpatterns = [
    path("datacenter/entries/", views.EntryListView.as_view(), name="entry-list"),
    path("datacenter/entries/open/", views.OpenEntriesView.as_view(), name="entry-open"),
    path("datacenter/entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry-detail"),
    path("datacenter/entries/<int:pk>/exit/", views.EntryExitView.as_view(), name="entry-exit"),
    path("datacenter/visits/", views.VisitListView.as_view(), name="visit-list"),
    path("datacenter/visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path(
        "datacenter/visits/<int:pk>/people/", views.VisitPeopleView.as_view(), name="visit-people"
    ),
    path(
        "datacenter/visits/<int:pk>/documents/",
        views.VisitDocumentsView.as_view(),
        name="visit-documents",
    ),
    path(
        "datacenter/visits/<int:pk>/checks/", views.VisitChecksView.as_view(), name="visit-checks"
    ),
]
