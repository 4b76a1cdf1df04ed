"""HTML pages of equipos, dispositivos y restauraciones."""

from django.urls import URLPattern, URLResolver

app_name = "assets"

urlpatterns: list[URLPattern | URLResolver] = []
