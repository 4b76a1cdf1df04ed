"""HTML pages of centro de datos."""

from django.urls import URLPattern, URLResolver

app_name = "datacenter"

urlpatterns: list[URLPattern | URLResolver] = []
