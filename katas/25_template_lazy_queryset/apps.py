from django.apps import AppConfig


class PicksConfig(AppConfig):
    name = "katas.25_template_lazy_queryset"
    label = "kata25"
    verbose_name = "25 · the staff picks"
