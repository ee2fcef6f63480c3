"""The room's Django app."""

from django.apps import AppConfig


class RoomConfig(AppConfig):
    name = "dojo.room"
    label = "room"
    verbose_name = "The dojo room"
    default_auto_field = "django.db.models.BigAutoField"
