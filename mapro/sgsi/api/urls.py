"""URLs of the SGSI registers' API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "sgsi-api"

urlpatterns = [
    path("sgsi/documents/", views.DocumentListView.as_view(), name="document-list"),
    path("sgsi/documents/<str:code>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path(
        "sgsi/documents/<str:code>/versions/",
        views.DocumentVersionView.as_view(),
        name="document-versions",
    ),
    path(
        "sgsi/documents/<str:code>/versions/<int:number>/approve/",
        views.VersionApproveView.as_view(),
        name="version-approve",
    ),
    path(
        "sgsi/documents/<str:code>/observations/",
        views.DocumentObserveView.as_view(),
        name="document-observations",
    ),
    path("sgsi/assets/", views.AssetListView.as_view(), name="asset-list"),
    path("sgsi/assets/<str:code>/", views.AssetDetailView.as_view(), name="asset-detail"),
    path("sgsi/assets/<str:code>/changes/", views.AssetChangeView.as_view(), name="asset-changes"),
]
