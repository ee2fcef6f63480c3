"""GET /weather/?city=... answers with the weather service's forecast, every request shares
one httpx client instead of making one and leaving it open, and a failure of the weather
service is a 502 that leaves the shared client working."""

import asyncio
import threading
import time
from urllib.parse import quote

import httpx
import pytest

from dojo.harness.failures import FAILURES

# Like a server, which runs one event loop for its whole life, every test of this kata runs
# on the same loop: a client shared by the whole process stays usable from test to test.
pytestmark = pytest.mark.asyncio(loop_scope="module")

CITIES = ["Oslo", "Lagos", "Lima", "Hanoi", "São Paulo", "Zürich", "Kraków", "Reykjavík"]
SKIES = ["sunny", "cloudy", "rain", "snow", "fog", "storm"]


@pytest.fixture
def forecasts(rng):
    return {
        city: {"temperature": rng.randint(-20, 40), "sky": rng.choice(SKIES)} for city in CITIES
    }


@pytest.fixture
def weather(upstream, forecasts, rng):
    def forecast_for(request):
        return forecasts[request.url.params["city"]]

    # Each call takes its own time, so answers come back in another order than the calls.
    return upstream.get(
        "http://weather.example/forecast",
        json=forecast_for,
        latency=lambda request: rng.uniform(0.02, 0.1),
    )


@pytest.fixture
def slow_clients_off_the_loop(http_clients, monkeypatch):
    """An httpx.AsyncClient built in a worker thread takes half a second, as on a busy
    machine (its SSL set-up): long enough for every visitor of a burst to get there first."""
    loop_thread = threading.get_ident()
    made = httpx.AsyncClient.__init__

    def __init__(client, *args, **kwargs):
        if threading.get_ident() != loop_thread:
            time.sleep(0.5)
        made(client, *args, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "__init__", __init__)


@pytest.fixture
def sync_clients(monkeypatch):
    """How many sync httpx.Clients the view makes (httpx.get() makes one per call)."""
    made = []
    real_init = httpx.Client.__init__

    def __init__(client, *args, **kwargs):
        real_init(client, *args, **kwargs)
        made.append(client)

    monkeypatch.setattr(httpx.Client, "__init__", __init__)
    return made


def path_for(city):
    return f"/weather/?city={quote(city)}"


async def test_requests_share_one_client(
    app, weather, forecasts, http_clients, slow_clients_off_the_loop, sync_clients, rng
):
    # The first test of the module: the first visitors of a freshly started server come all
    # at once, so a client built on first use must be built once, not once per visitor.
    cities = rng.sample(CITIES, 8)
    # Five visitors at once, then three more, one after the other, each for another city.
    together, one_by_one = cities[:5], cities[5:]
    # Slow enough answers that five requests sent together are all waiting at once.
    short = weather.latency
    weather.latency = lambda request: rng.uniform(0.15, 0.25)
    responses = list(await asyncio.gather(*(app.get(path_for(city)) for city in together)))
    together_peak = weather.peak_in_flight
    weather.latency = short
    for city in one_by_one:
        responses.append(await app.get(path_for(city)))
    for city, response in zip(cities, responses, strict=True):
        response.assert_json({"city": city, **forecasts[city]}, f"the forecast for {city}")
    during = "8 requests (5 at once, then 3 one after the other, each for another city)"
    if sync_clients:
        pytest.fail(
            f"{len(sync_clients)} httpx.Client{'s were' if len(sync_clients) > 1 else ' was'} "
            f"made during {during}, besides {len(http_clients.made)} httpx.AsyncClient.\n"
            "Expected at most one client in all, shared by every request: each new client "
            "(httpx.get() makes one too) builds an SSL context and opens its own connections.",
            pytrace=False,
        )
    http_clients.assert_made_at_most(1, during=during)
    if together_peak < 2:
        pytest.fail(
            f"5 requests for the forecast came in at once, and the weather service saw "
            f"{together_peak} call at a time: the shared client was used one request after "
            "the other (behind a lock, or by a single worker thread).\n"
            "Expected the requests to wait for the weather service together: one client "
            f"serves many requests at once, that is what its pool is for.\n\n"
            f"{weather.upstream.timeline()}",
            pytrace=False,
        )


async def test_the_forecast_comes_from_the_weather_service(app, weather, forecasts, rng):
    city = rng.choice(CITIES)
    response = await app.get(path_for(city))
    response.assert_json({"city": city, **forecasts[city]}, f"the forecast for {city}")


async def test_no_client_is_dropped_without_being_closed(burst, weather, http_clients, rng):
    city = rng.choice(CITIES)
    report = await burst(path_for(city), n=5)
    report.assert_all_status(200, f"the forecast for {city}")
    http_clients.assert_none_abandoned()


async def test_a_broken_weather_service_is_a_502_and_the_next_request_still_works(
    app, weather, forecasts, rng, upstream_failure
):
    city = rng.choice(CITIES)
    weather.breaks(upstream_failure, times=1)
    response = await app.get(path_for(city))
    if response.status not in (502, 503, 504):
        pytest.fail(
            f"The weather service {upstream_failure}.\n{response.explain()}\n"
            "Expected 502 Bad Gateway (or 503, 504): the widget has no forecast to show, and "
            "should say so rather than break the page.",
            pytrace=False,
        )
    response = await app.get(path_for(city))
    response.assert_json(
        {"city": city, **forecasts[city]},
        f"the forecast for {city}, now that the weather service answers again",
    )


async def test_a_failing_weather_service_builds_no_new_client(
    app, weather, forecasts, http_clients, rng
):
    weather.latency = 0.01
    city = rng.choice(CITIES)
    # One visitor after another meets the weather service failing, once each way it fails.
    for failure in FAILURES:
        weather.breaks(failure, times=1)
        await app.get(path_for(city))
    response = await app.get(path_for(city))
    response.assert_json(
        {"city": city, **forecasts[city]},
        f"the forecast for {city}, now that the weather service answers again",
    )
    http_clients.assert_made_at_most(
        1,
        during=f"{len(FAILURES) + 1} requests, {len(FAILURES)} of which met a failing weather "
        "service (it failed, not the client: a failure is no reason to build another one)",
    )
