"""API v1 of equipos, dispositivos y restauraciones."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
