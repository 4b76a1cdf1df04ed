"""HTML pages of the cronogramas, under ``/cronogramas/``."""

from django.urls import path

from . import plan_views, views

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
    path("anuales/", plan_views.plan_list, name="plan_list"),
    path("anuales/exportar/", plan_views.plan_export, name="plan_export"),
    path("anuales/calendario/", plan_views.plan_calendar, name="plan_calendar"),
    path("anuales/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("anuales/<int:pk>/exportar/", plan_views.plan_dates_export, name="plan_dates_export"),
    path("anuales/<int:pk>/firmar/", plan_views.plan_approve, name="plan_approve"),
    path("anuales/<int:pk>/nueva-version/", plan_views.plan_new_version, name="plan_new_version"),
]
