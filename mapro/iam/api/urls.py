"""API v1 of cuentas, accesos y privilegios."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
