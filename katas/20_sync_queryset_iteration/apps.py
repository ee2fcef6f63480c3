from django.apps import AppConfig


class ShelvesConfig(AppConfig):
    name = "katas.20_sync_queryset_iteration"
    label = "kata20"
    verbose_name = "20 · the bookshop's shelves"
