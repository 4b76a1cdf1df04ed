"""HTML pages of incidentes de seguridad."""

from django.urls import URLPattern, URLResolver

app_name = "incidents"

urlpatterns: list[URLPattern | URLResolver] = []
