"""Every kata, mounted under its number: /04/ serves katas/04_missing_await.

Tests and ``dojo serve`` mount one kata at the root instead (see ``dojo.course.catalog``).
"""

from django.urls import include, path

from dojo.course.catalog import load_katas

urlpatterns = [path(f"{kata.number:02d}/", include(kata.urls_module)) for kata in load_katas()]
