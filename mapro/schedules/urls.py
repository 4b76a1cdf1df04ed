"""HTML pages of the cronogramas, under ``/cronogramas/``."""

from django.urls import path

from . import views

app_name = "schedules"

urlpatterns = [
    path("", views.schedule_list, name="schedule_list"),
    path("nuevo/", views.schedule_new, name="schedule_new"),
    path("calendario/", views.feed_settings, name="feed_settings"),
    path("ical/<str:token>/", views.feed, name="feed"),
    path("<int:pk>/", views.schedule_detail, name="schedule_detail"),
    path("<int:pk>/editar/", views.schedule_edit, name="schedule_edit"),
    path("<int:pk>/aprobar/", views.schedule_approve, name="schedule_approve"),
    path("<int:pk>/dar-de-baja/", views.schedule_retire, name="schedule_retire"),
    path("<int:pk>/ical/", views.schedule_ical, name="schedule_ical"),
]
