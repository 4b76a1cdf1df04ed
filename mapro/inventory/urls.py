"""Pages of the equipment inventory (under ``/inventario-de-equipos/``)."""

from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("", views.equipment_list, name="equipment_list"),
    path("exportar/", views.equipment_export, name="equipment_export"),
    path("importar/", views.equipment_import, name="equipment_import"),
    path("<int:pk>/", views.equipment_detail, name="equipment_detail"),
    path("<int:pk>/estado/", views.equipment_state, name="equipment_state"),
    path("<int:pk>/mantenimiento/", views.maintenance_record, name="maintenance_record"),
    path("mantenimientos/", views.maintenance_list, name="maintenance_list"),
    path("mantenimientos/exportar/", views.maintenance_export, name="maintenance_export"),
]
