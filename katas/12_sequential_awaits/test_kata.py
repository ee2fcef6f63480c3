"""The trip page: asks the weather, hotel and events services about a city, all three at once."""

import itertools
from urllib.parse import urlencode

import pytest

from dojo.harness.failures import FAILURES

CITIES = ["Lisbon", "Porto", "Seville", "Naples", "Ljubljana", "Kraków", "Tallinn", "Ghent"]
SKIES = ["sunny", "cloudy", "showers", "windy", "fog"]
HOTEL_NAMES = ["Casa Azul", "Hotel Miramar", "The Old Mill", "Pensão Rosa", "Harbour Inn"]
EVENT_TITLES = ["Jazz on the quay", "Night market", "Fado evening", "Street food fair", "Regatta"]
# The partners, in the order the page lists them: (name, URL, the key of their answer).
PARTNERS = [
    ("weather", "http://weather.example/forecast", "forecast"),
    ("hotels", "http://hotels.example/search", "hotels"),
    ("events", "http://events.example/upcoming", "events"),
]
# How long the partners take to answer, like real round trips: each test deals them out so
# that the answers arrive in another order than the calls went out.
LATENCIES = (0.05, 0.15, 0.25)
GATEWAY_ERRORS = (502, 503, 504)


@pytest.fixture
def latencies(rng):
    """Each partner's latency, a little different on every run; never fastest-first in the
    order the page asks them, so that answers come back in another order than the calls."""
    orders = [order for order in itertools.permutations(LATENCIES) if order != LATENCIES]
    return {
        name: latency + rng.uniform(0, 0.02)
        for (name, _, _), latency in zip(PARTNERS, rng.choice(orders), strict=True)
    }


@pytest.fixture
def trips(rng):
    """What the partners know about each city, different on every run."""
    return {
        city: {
            "weather": {"temp_c": rng.randint(-5, 35), "sky": rng.choice(SKIES)},
            "hotels": [
                {"name": name, "price_eur": rng.randint(40, 300)}
                for name in rng.sample(HOTEL_NAMES, k=rng.randint(1, 3))
            ],
            "events": [
                {"title": title, "day": f"2025-07-{rng.randint(1, 28):02d}"}
                for title in rng.sample(EVENT_TITLES, k=rng.randint(1, 3))
            ],
        }
        for city in CITIES
    }


@pytest.fixture
def partners(upstream, trips, latencies):
    """The three partner services, each answering about the ``?city=`` it is asked for."""
    routes = {}
    for name, url, key in PARTNERS:

        def answer(request, name=name, key=key):
            city = request.url.params["city"]
            return {"city": city, key: trips[city][name]}

        routes[name] = upstream.get(url, json=answer, latency=latencies[name])
    return routes


def page_of(city):
    return f"/trip/?{urlencode({'city': city})}"


def trip_page(city, trips):
    return {"city": city, **trips[city]}


async def test_the_trip_page_shows_weather_hotels_and_events(app, partners, trips, rng):
    for city in rng.sample(CITIES, k=2):
        response = await app.get(page_of(city))

        response.assert_json(trip_page(city, trips), f"the weather, hotels and events for {city}")


async def test_a_later_visit_shows_what_the_partners_say_now(app, partners, trips, rng):
    city = rng.choice(CITIES)
    (await app.get(page_of(city))).assert_status(200, "the trip page")
    # Between two visits the forecast changes and, a festival week, every hotel is booked
    # out: an empty list is the hotels service's answer, not a failure.
    trips[city]["weather"] = {
        "temp_c": trips[city]["weather"]["temp_c"] + rng.choice([-3, -2, 2, 3]),
        "sky": rng.choice([sky for sky in SKIES if sky != trips[city]["weather"]["sky"]]),
    }
    trips[city]["hotels"] = []

    response = await app.get(page_of(city))

    response.assert_json(
        trip_page(city, trips),
        f"the trip to {city} as the partners tell it now: the forecast changed and every "
        "hotel was booked out since the first visit (no hotels is an answer, not a failure)",
    )


async def test_the_three_services_are_asked_at_the_same_time(app, upstream, partners, rng):
    city = rng.choice(CITIES)
    response = await app.get(page_of(city))
    response.assert_status(200, "the trip page")
    upstream.assert_calls_overlapped(3)


async def test_a_broken_partner_is_a_gateway_error_not_a_crash(
    app, partners, rng, upstream_failure
):
    broken = rng.choice(list(partners))
    partners[broken].breaks(upstream_failure)
    city = rng.choice(CITIES)

    response = await app.get(page_of(city))

    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nIts body: {response.text[:300]!r}"
        pytest.fail(
            f"The {broken} service {upstream_failure}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do), so the page says the trip "
            "details are unavailable: never a 500, and never a trip the partners did not send.",
            pytrace=False,
        )


async def test_a_broken_partner_leaves_no_call_running_behind_the_page(
    app, upstream, partners, latencies, rng
):
    # The partner that answers first fails: the others are still being asked when it does.
    first = min(latencies, key=latencies.get)
    failure = rng.choice(FAILURES)
    partners[first].breaks(failure)
    city = rng.choice(CITIES)

    response = await app.get(page_of(city))

    if response.status not in GATEWAY_ERRORS:
        pytest.fail(
            f"The {first} service {failure}.\n{response.explain()}\n"
            "Expected 502 Bad Gateway (503 or 504 would do).",
            pytrace=False,
        )
    running = sorted({call.route for call in upstream.calls if not call.finished})
    if running:
        pytest.fail(
            f"The {first} service {failure}, and the page answered {response.status} while "
            f"its calls to {' and '.join(running)} were still running: nobody will read "
            "their answers, and they go on using the partners' time and the page's "
            "connections.\n"
            "Expected the page to wait for the other calls, or to cancel them, before it "
            f"answers.\n\n{upstream.timeline()}",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/trip/")
