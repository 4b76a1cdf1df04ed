from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("leer-todos/", views.notification_mark_all, name="mark_all"),
    path("preferencia/", views.notification_preference, name="preference"),
]
