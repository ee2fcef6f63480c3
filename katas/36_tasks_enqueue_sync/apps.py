from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "katas.36_tasks_enqueue_sync"
    label = "kata36"
    verbose_name = "36 · the shop's orders"
