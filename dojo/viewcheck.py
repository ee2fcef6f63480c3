"""Check how Django will run a kata's view: on the event loop, or in a worker thread.

Django awaits an ``async def`` view on the event loop and runs a plain ``def`` view in a
worker thread. Turning an async kata's view back into a sync one makes most bugs vanish
without teaching anything, so kata tests can require that the view stays async.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from asgiref.sync import iscoroutinefunction
from django.urls import Resolver404, resolve


def check_async_view(path: str) -> None:
    """Fail unless the view that answers ``path`` (a URL path, query string allowed) is
    an async view."""
    __tracebackhide__ = True
    try:
        view: Any = resolve(urlsplit(path).path).func
    except Resolver404:
        pytest.fail(f"No view answers {path}: check the kata's urls.py.", pytrace=False)
    if iscoroutinefunction(view):
        return
    name = getattr(view, "__qualname__", repr(view))
    pytest.fail(
        f"{path} is answered by {name}(), a plain `def` view: Django runs it in a worker "
        "thread, not on the event loop.\n"
        "Expected an `async def` view: in this kata the view must stay async.",
        pytrace=False,
    )


@pytest.fixture
def assert_async_view() -> Callable[[str], None]:
    """Fail unless the view at a path is an ``async def`` view:
    ``assert_async_view("/quote/")``."""
    return check_async_view
