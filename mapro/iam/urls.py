"""HTML pages of cuentas, accesos y privilegios (under ``/cuentas-y-accesos/``)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "iam"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.account_list, name="account_list"),
    path("exportar/", views.account_export, name="account_export"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/contrasena/", views.account_password_link, name="account_password_link"),
    path("vpn/", views.vpn_list, name="vpn_list"),
    path("vpn/exportar/", views.vpn_export, name="vpn_export"),
    path("vpn/<str:movement>/", views.vpn_movements_list, name="vpn_movements"),
    path(
        "vpn/<str:movement>/exportar/",
        views.vpn_movements_export,
        name="vpn_movements_export",
    ),
    path("contrasena/<int:pk>/", views.reveal, name="reveal"),
]
