"""The stock page under the timing decorator: the page works, the decorated view stays a
coroutine function, and the logged duration is the real time the view took."""

import logging
import re

import pytest
from asgiref.sync import iscoroutinefunction
from django.urls import resolve

pytestmark = pytest.mark.usefixtures("cheap_http_clients")

STOCK_URL = "http://stock.example/items/{}"
TOOK = re.compile(r"took (\d+(?:\.\d+)?) ms")


def fake_stock(upstream, rng, latency=0.2):
    """A stock level with random numbers, served after ``latency`` seconds."""
    sku = f"SKU-{rng.randint(10000, 99999)}"
    level = {
        "sku": sku,
        "in_stock": rng.randint(0, 500),
        "reserved": rng.randint(0, 50),
        "warehouse": rng.choice(["Leeds", "Lyon", "Leipzig", "Lisbon"]),
    }
    upstream.get(STOCK_URL.format(sku), json=level, latency=latency)
    return f"/stock/{sku}/", level


def test_the_view_stays_a_coroutine_function():
    view = resolve("/stock/SKU-12345/").func
    if not iscoroutinefunction(view):
        pytest.fail(
            f"views.stock_level, as decorated, is {view.__qualname__}(), not a coroutine "
            "function: @log_duration replaced the async view with a plain function.\n"
            "Django checks iscoroutinefunction(view) to decide how to call a view. This one it "
            "calls in a worker thread, and what it gets back is a coroutine nobody awaits.\n"
            "Expected the decorated view to stay a coroutine function.",
            pytrace=False,
        )


async def test_the_stock_level_is_served(app, upstream, rng):
    path, level = fake_stock(upstream, rng)
    response = await app.get(path)
    response.assert_json(level, f"the stock level of {level['sku']}")


async def test_the_logged_duration_is_real(app, upstream, rng, caplog):
    caplog.set_level(logging.INFO)
    latency = rng.uniform(0.2, 0.3)
    path, _ = fake_stock(upstream, rng, latency)
    response = await app.get(path)
    response.assert_status(200, "the stock level")
    logged = [record.getMessage() for record in caplog.records]
    durations = [float(match[1]) / 1000 for line in logged if (match := TOOK.search(line))]
    if not durations:
        pytest.fail(
            f"{response.request_line} logged no duration; expected a line like "
            f"'GET {path} took 231.4 ms'.\nLogged: {logged!r}",
            pytrace=False,
        )
    took = durations[-1]
    if not 0.9 * latency <= took <= response.elapsed:
        pytest.fail(
            f"The decorator logged 'took {took * 1000:.1f} ms', but the view waited "
            f"{latency * 1000:.0f} ms for the stock service, and the whole request took "
            f"{response.elapsed * 1000:.0f} ms.\n"
            "Expected the time from the view's start to its response.",
            pytrace=False,
        )
