"""GET /weather/?city=... answers with the weather service's forecast, and every request
shares one httpx.AsyncClient instead of making one and leaving it open."""

import pytest

CITIES = ["Oslo", "Lagos", "Lima", "Hanoi", "Perth", "Quito", "Tunis", "Riga"]
SKIES = ["sunny", "cloudy", "rain", "snow", "fog", "storm"]


@pytest.fixture
def forecasts(rng):
    return {
        city: {"temperature": rng.randint(-20, 40), "sky": rng.choice(SKIES)} for city in CITIES
    }


@pytest.fixture
def weather(upstream, forecasts):
    def forecast_for(request):
        return forecasts[request.url.params["city"]]

    return upstream.get("http://weather.example/forecast", json=forecast_for, latency=0.2)


async def test_the_forecast_comes_from_the_weather_service(app, weather, forecasts, rng):
    city = rng.choice(CITIES)
    response = await app.get(f"/weather/?city={city}")
    response.assert_json({"city": city, **forecasts[city]}, f"the forecast for {city}")


async def test_a_burst_of_requests_shares_one_client(burst, weather, http_clients, rng):
    city = rng.choice(CITIES)
    report = await burst(f"/weather/?city={city}", n=5)
    report.assert_all_status(200, f"the forecast for {city}")
    http_clients.assert_made_at_most(1, during="a burst of 5 requests")


async def test_no_client_is_dropped_without_being_closed(burst, weather, http_clients, rng):
    city = rng.choice(CITIES)
    report = await burst(f"/weather/?city={city}", n=5)
    report.assert_all_status(200, f"the forecast for {city}")
    http_clients.assert_none_abandoned()
