from django.apps import AppConfig


class BookshopConfig(AppConfig):
    name = "katas.19_sync_orm_call"
    label = "kata19"
    verbose_name = "19 · the bookshop's catalogue"
