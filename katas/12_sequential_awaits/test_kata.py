"""The trip page: asks the weather, hotel and events services about a city, all three at once."""

import pytest

CITIES = ["Lisbon", "Porto", "Seville", "Naples", "Ljubljana", "Krakow", "Tallinn", "Ghent"]
SKIES = ["sunny", "cloudy", "showers", "windy", "fog"]
HOTEL_NAMES = ["Casa Azul", "Hotel Miramar", "The Old Mill", "Pension Rosa", "Harbour Inn"]
EVENT_TITLES = ["Jazz on the quay", "Night market", "Fado evening", "Street food fair", "Regatta"]
# Each partner service takes this long to answer, like a real round trip.
LATENCY = 0.25


@pytest.fixture
def city(rng):
    return rng.choice(CITIES)


@pytest.fixture
def forecast(rng):
    return {"temp_c": rng.randint(-5, 35), "sky": rng.choice(SKIES)}


@pytest.fixture
def hotels(rng):
    return [
        {"name": name, "price_eur": rng.randint(40, 300)}
        for name in rng.sample(HOTEL_NAMES, k=rng.randint(1, 3))
    ]


@pytest.fixture
def events(rng):
    return [
        {"title": title, "day": f"2025-07-{rng.randint(1, 28):02d}"}
        for title in rng.sample(EVENT_TITLES, k=rng.randint(1, 3))
    ]


@pytest.fixture
def partners(upstream, forecast, hotels, events):
    """The three partner services, each answering about the ``?city=`` it is asked for."""

    def about_city(key, value):
        return lambda request: {"city": request.url.params["city"], key: value}

    upstream.get(
        "http://weather.example/forecast", json=about_city("forecast", forecast), latency=LATENCY
    )
    upstream.get("http://hotels.example/search", json=about_city("hotels", hotels), latency=LATENCY)
    upstream.get(
        "http://events.example/upcoming", json=about_city("events", events), latency=LATENCY
    )
    return upstream


async def test_the_trip_page_shows_weather_hotels_and_events(
    app, partners, city, forecast, hotels, events
):
    response = await app.get(f"/trip/?city={city}")
    response.assert_json(
        {"city": city, "weather": forecast, "hotels": hotels, "events": events},
        f"the weather, hotels and events for {city}",
    )


async def test_the_three_services_are_asked_at_the_same_time(app, partners, city):
    response = await app.get(f"/trip/?city={city}")
    response.assert_status(200, "the trip page")
    partners.assert_calls_overlapped(3)


def test_the_view_is_async(assert_async_view):
    assert_async_view("/trip/")
