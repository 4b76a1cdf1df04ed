from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mapro.notifications"
    label = "notifications"
    verbose_name = "Notificaciones"
