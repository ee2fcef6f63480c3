from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "katas.24_sync_paginator"
    label = "kata24"
    verbose_name = "24 · the bookshop's news"
