"""The trail forecast: asks the weather service, answers with its forecast, says so when the
service fails, and leaves no coroutine behind."""

import asyncio
import gc
import warnings
from http import HTTPStatus

import pytest

CITIES = [
    "Oslo",
    "Innsbruck",
    "Chamonix",
    "Banff",
    "Queenstown",
    "Tromsø",
    "Åre",
    "Val d'Isère",
    "Cortina d'Ampezzo",
    "Garmisch-Partenkirchen",
    "Zakopane",
    "El Chaltén",
]
# Trailheads not capitalised word by word: the name reaches the weather service as it is.
NOT_TITLE_CASED = ["Val d'Isère", "Cortina d'Ampezzo"]
# Trailheads shared by two villages: an `&` in a city must reach the weather service whole.
TWIN_CITIES = ["Lech & Zürs", "Ischgl & Samnaun", "Saas-Fee & Saas-Grund"]
GATEWAY_ERRORS = (502, 503, 504)
# Error statuses the weather service answers with a JSON notice instead of a forecast.
ERROR_NOTICES = {
    503: lambda city: {"city": city, "status": "down for maintenance", "back_at": "06:00"},
    429: lambda city: {"city": city, "status": "too many requests", "retry_in": 60},
}
# Long enough for a worker thread to let go of what it held: many switch intervals.
SETTLE = 0.05
# Hikers planning the weekend all look on Friday evening. The weather service takes this long
# to answer them: long enough for every hiker's call to have started before the first ends.
HIKERS = 3
SLOW_LATENCY = 0.3
# Two in flight at once is proof enough that nothing lets one at a time through, and still
# holds on a loaded machine, where the last caller can start late.
OVERLAPPING = 2


@pytest.fixture
def city(rng):
    return rng.choice(CITIES)


@pytest.fixture
def forecasts(rng):
    """Tomorrow's weather in every city, different on every run."""
    return {
        city: {
            "temperature": rng.randint(-12, 28),
            "sky": rng.choice(["sunny", "cloudy", "rain", "snow", "fog"]),
            "wind_kmh": rng.randint(0, 60),
        }
        for city in CITIES + TWIN_CITIES
    }


@pytest.fixture
def weather_service(upstream, forecasts):
    """The fake weather service: answers ``?city=...`` with tomorrow's weather there."""

    def forecast_for(request):
        city = request.url.params.get("city")
        if city not in forecasts:
            return {"city": city, "error": f"no forecast for {city!r}"}
        return {"city": city, **forecasts[city]}

    return upstream.get("http://weather.example/forecast", json=forecast_for, latency=0.05)


async def test_shows_the_forecast_for_the_city(app, weather_service, forecasts, city, rng):
    for trailhead in (city, rng.choice(NOT_TITLE_CASED), rng.choice(TWIN_CITIES)):
        response = await app.get(f"/forecast/{trailhead}/")
        response.assert_json(
            {"city": trailhead, **forecasts[trailhead]},
            f"the weather service's forecast for {trailhead}",
        )


async def test_asks_the_weather_service_once(app, weather_service, city):
    # Two hikers look at the same trailhead, one after the other.
    for _ in range(2):
        await app.get(f"/forecast/{city}/")
    calls = weather_service.call_count
    if calls != 2:
        if calls == 0:
            why = (
                "A coroutine that is never awaited never runs: the request inside it never happens."
            )
        elif calls < 2:
            why = (
                "A request was answered without asking: a forecast kept from an earlier "
                "request is not the weather service's forecast now."
            )
        else:
            why = "Each request should ask once, not more."
        times = "once" if calls == 1 else f"{calls} times"
        pytest.fail(
            f"Two requests for GET /forecast/{city}/ called the weather service {times}; "
            f"expected once each, 2 in all.\n({why})",
            pytrace=False,
        )


async def test_hikers_asking_at_once_are_served_at_the_same_time(
    app, upstream, weather_service, forecasts, rng
):
    weather_service.latency = SLOW_LATENCY
    trailheads = rng.sample(CITIES, HIKERS)
    responses = await asyncio.gather(*(app.get(f"/forecast/{city}/") for city in trailheads))
    for response, city in zip(responses, trailheads, strict=True):
        response.assert_json({"city": city, **forecasts[city]}, f"the forecast for {city}")
    # A view that asks the service for one hiker at a time (a single worker thread, a lock)
    # keeps each hiker waiting for every forecast asked before theirs.
    upstream.assert_calls_overlapped(OVERLAPPING, route=weather_service)


async def test_an_error_status_is_a_502_whatever_its_body_says(app, weather_service, city):
    # The service says it has no forecast with its status, 5xx or 4xx alike; its body is no
    # forecast: down for maintenance, or asked too often (the hikers' app shares one key).
    for status, notice in ERROR_NOTICES.items():
        body = notice(city)
        weather_service.returns(body, status=status)
        response = await app.get(f"/forecast/{city}/")
        if response.status not in GATEWAY_ERRORS:
            pytest.fail(
                f"The weather service answered {status} {HTTPStatus(status).phrase}, with a JSON "
                f'body that says {body["status"]!r} (and no "error" in it).\n'
                f"{response.explain()}\n"
                "Expected 502 Bad Gateway (503 or 504 would do): an error status, 4xx or 5xx, "
                "means no forecast, whatever the body holds. Read the status, not only the body.",
                pytrace=False,
            )


async def test_a_broken_weather_service_is_a_502_not_a_crash(
    app, weather_service, city, upstream_failure
):
    # A good forecast first: the one from before the failure is no forecast for now.
    await app.get(f"/forecast/{city}/")
    before = f"sent a forecast for {city}, then " if weather_service.call_count else ""
    weather_service.breaks(upstream_failure)
    response = await app.get(f"/forecast/{city}/")
    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nIts body: {response.text[:200]!r}"
        pytest.fail(
            f"The weather service {before}{upstream_failure}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do), so the page shows "
            '"Weather unavailable": never a 500, and never a forecast the service did not send '
            "(nor the one it sent before it failed).",
            pytrace=False,
        )


async def test_leaves_no_coroutine_unawaited(app, weather_service, city):
    gc.collect()  # earlier tests' leftovers are not this request's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = await app.get(f"/forecast/{city}/")
        outcome = response.explain()
        # Python reports a forgotten coroutine when it is garbage-collected. Django turns the
        # view's error into a 500 in a worker thread, which lets go of the error (and of the
        # coroutine in its traceback) a moment after the response is out: give it that moment.
        del response
        gc.collect()
        if not any("was never awaited" in str(w.message) for w in caught):
            await asyncio.sleep(SETTLE)
            gc.collect()
    # The first line only: the harness has Python note where each coroutine was made, and
    # the warning then carries that whole stack.
    unawaited = [
        str(w.message).splitlines()[0] for w in caught if "was never awaited" in str(w.message)
    ]
    if unawaited:
        pytest.fail(
            f"{outcome}\nWhile serving it, the view created a coroutine it never awaited; "
            f"Python warned:\n    RuntimeWarning: {unawaited[0]}\n"
            "Expected every coroutine the view creates to be awaited.",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/forecast/Oslo/")
