"""The trail forecast: asks the weather service, answers with its forecast, and leaves no
coroutine behind."""

import gc
import warnings

import pytest

CITIES = ["Oslo", "Bergen", "Innsbruck", "Chamonix", "Zermatt", "Banff", "Queenstown"]


@pytest.fixture
def tomorrow(rng):
    """Tomorrow's weather, different on every run."""
    return {
        "temperature": rng.randint(-12, 28),
        "sky": rng.choice(["sunny", "cloudy", "rain", "snow", "fog"]),
        "wind_kmh": rng.randint(0, 60),
    }


@pytest.fixture
def weather_service(upstream, tomorrow):
    """The fake weather service: answers ``?city=...`` with tomorrow's weather there."""
    return upstream.get(
        "http://weather.example/forecast",
        json=lambda request: {"city": request.url.params["city"], **tomorrow},
    )


async def test_shows_the_forecast_for_the_city(app, weather_service, tomorrow, rng):
    city = rng.choice(CITIES)
    response = await app.get(f"/forecast/{city}/")
    response.assert_json({"city": city, **tomorrow}, f"the weather service's forecast for {city}")


async def test_asks_the_weather_service_once(app, weather_service, rng):
    city = rng.choice(CITIES)
    await app.get(f"/forecast/{city}/")
    calls = weather_service.call_count
    if calls != 1:
        pytest.fail(
            f"GET /forecast/{city}/ called the weather service {calls} times; expected once.\n"
            "(A coroutine that is never awaited never runs: the request inside it never "
            "happens.)",
            pytrace=False,
        )


async def test_leaves_no_coroutine_unawaited(app, weather_service, rng):
    city = rng.choice(CITIES)
    gc.collect()  # earlier tests' leftovers are not this request's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = await app.get(f"/forecast/{city}/")
        outcome = response.explain()
        # Python reports a forgotten coroutine when it is garbage-collected.
        del response
        gc.collect()
    unawaited = [str(w.message) for w in caught if "was never awaited" in str(w.message)]
    if unawaited:
        pytest.fail(
            f"{outcome}\nWhile serving it, the view created a coroutine it never awaited; "
            f"Python warned:\n    RuntimeWarning: {unawaited[0]}\n"
            "Expected every coroutine the view creates to be awaited.",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/forecast/Oslo/")
