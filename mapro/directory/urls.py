from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("operaciones/<int:pk>/reintentar/", views.operation_retry, name="operation_retry"),
    path("operaciones/<int:pk>/manual/", views.operation_manual, name="operation_manual"),
]
