"""HTML URLs of the help desk, included under ``/mesa-de-ayuda/``."""

from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path(
        "tickets/<str:number>/adjuntos/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
