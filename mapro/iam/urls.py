"""HTML pages of cuentas, accesos y privilegios."""

from django.urls import URLPattern, URLResolver

app_name = "iam"

urlpatterns: list[URLPattern | URLResolver] = []
