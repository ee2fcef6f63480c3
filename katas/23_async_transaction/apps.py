from django.apps import AppConfig


class BankConfig(AppConfig):
    name = "katas.23_async_transaction"
    label = "kata23"
    verbose_name = "23 · the bank's accounts"
