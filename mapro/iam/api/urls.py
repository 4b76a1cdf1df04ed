"""API v1 of cuentas, accesos y privilegios (included under ``/api/v1/``)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "iam-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", views.AccountListView.as_view(), name="account-list"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account-detail"),
]
