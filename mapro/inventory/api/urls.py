"""API v1 of the equipment inventory and the maintenance register (under ``/api/v1/``)."""

from django.urls import path

from . import views

app_name = "inventory-api"

urlpatterns = [
    path("equipment/", views.EquipmentListView.as_view(), name="equipment-list"),
    path("equipment/import/", views.EquipmentImportView.as_view(), name="equipment-import"),
    path("equipment/<int:pk>/", views.EquipmentDetailView.as_view(), name="equipment-detail"),
    path("equipment/<int:pk>/state/", views.EquipmentStateView.as_view(), name="equipment-state"),
    path("maintenances/", views.MaintenanceListView.as_view(), name="maintenance-list"),
    path(
        "maintenances/<int:pk>/", views.MaintenanceDetailView.as_view(), name="maintenance-detail"
    ),
    path(
        "maintenances/<int:pk>/outcome/",
        views.MaintenanceOutcomeView.as_view(),
        name="maintenance-outcome",
    ),
    path(
        "maintenances/<int:pk>/warranty/",
        views.MaintenanceWarrantyView.as_view(),
        name="maintenance-warranty",
    ),
]
