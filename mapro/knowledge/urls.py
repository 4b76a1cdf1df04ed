"""HTML pages of base de conocimiento."""

from django.urls import URLPattern, URLResolver

app_name = "knowledge"

urlpatterns: list[URLPattern | URLResolver] = []
