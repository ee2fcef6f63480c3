from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "katas.21_lazy_fk_access"
    label = "kata21"
    verbose_name = "21 · books and their authors"
