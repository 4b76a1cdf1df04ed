"""HTML pages of integración con recursos humanos."""

from django.urls import URLPattern, URLResolver

app_name = "hr"

urlpatterns: list[URLPattern | URLResolver] = []
