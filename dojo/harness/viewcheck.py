"""Check how Django will run a kata's view: on the event loop, or in a worker thread.

Django awaits an ``async def`` view on the event loop and runs a plain ``def`` view in a
worker thread. Turning an async kata's view back into a sync one makes most bugs vanish
without teaching anything, so kata tests can require that the view stays async.

In server mode the view lives only in the worker: the test asks it which view answers the
path (``dojo.server.serverside.VIEW_PATH``), and judges its answer as the in-process check does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from django.urls import Resolver404, resolve

from dojo.harness.servermode import server_mode, site_for
from dojo.server.serverside import VIEW_PATH, describe_view


def check_async_view(path: str) -> None:
    """Fail unless the view that answers ``path`` (a URL path, query string allowed) is
    an async view."""
    __tracebackhide__ = True
    try:
        view: Any = resolve(urlsplit(path).path).func
    except Resolver404:
        judge_view(path, None)
    judge_view(path, describe_view(view))


def judge_view(path: str, view: dict[str, Any] | None) -> None:
    """Fail unless ``view`` (``describe_view``'s account; None: no view) is async."""
    __tracebackhide__ = True
    if view is None:
        pytest.fail(f"No view answers {path}: check the kata's urls.py.", pytrace=False)
    if view["async"]:
        return
    name = view["name"]
    pytest.fail(
        f"{path} is answered by {name}(), a plain `def` view: Django runs it in a worker "
        "thread, not on the event loop.\n"
        "Expected an `async def` view: in this kata the view must stay async.",
        pytrace=False,
    )


@pytest.fixture
def assert_async_view(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Fail unless the view at a path is an ``async def`` view:
    ``assert_async_view("/quote/")``."""
    if not server_mode(request.config):
        return check_async_view
    url = site_for(request).url(VIEW_PATH)

    def check_served_view(path: str) -> None:
        __tracebackhide__ = True
        answer = httpx.get(url, params={"path": path}, timeout=10.0, trust_env=False)
        judge_view(path, answer.json() if answer.status_code == 200 else None)

    return check_served_view
