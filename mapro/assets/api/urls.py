"""API v1 of equipos, dispositivos y restauraciones (included under ``/api/v1/``)."""

from django.urls import path

from . import views

app_name = "assets-api"

urlpatterns = [
    path("phones/", views.PhoneListView.as_view(), name="phone-list"),
    path("phones/<int:pk>/", views.PhoneDetailView.as_view(), name="phone-detail"),
    *[
        path(f"phones/<int:pk>/{name}/", views.phone_action_view(name), name=f"phone-{name}")
        for name in views.PHONE_ACTIONS
    ],
    path("certificate-devices/", views.CertDeviceListView.as_view(), name="cert-device-list"),
    path(
        "certificate-devices/<int:pk>/",
        views.CertDeviceDetailView.as_view(),
        name="cert-device-detail",
    ),
    *[
        path(
            f"certificate-devices/<int:pk>/{name}/",
            views.cert_action_view(name),
            name=f"cert-device-{name}",
        )
        for name in views.CERT_ACTIONS
    ],
    path("restore-requests/", views.RestoreRequestListView.as_view(), name="restore-list"),
    path(
        "restore-requests/<int:pk>/",
        views.RestoreRequestDetailView.as_view(),
        name="restore-detail",
    ),
    path(
        "restore-requests/<int:pk>/outcome/",
        views.RestoreOutcomeView.as_view(),
        name="restore-outcome",
    ),
    path("block-list/", views.BlockEntryListView.as_view(), name="block-list"),
    path("block-list/<int:pk>/", views.BlockEntryDetailView.as_view(), name="block-detail"),
    path(
        "block-list/<int:pk>/deactivate/",
        views.BlockDeactivateView.as_view(),
        name="block-deactivate",
    ),
]
