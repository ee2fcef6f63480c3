import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def fetch_forecast(city):
    """Ask the weather service for tomorrow's forecast in ``city``."""
    async with httpx.AsyncClient() as client:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
    response.raise_for_status()
    return response.json()


async def forecast(request, city):
    # Calling an async function only creates a coroutine; nothing in it runs yet.
    # `await` runs it (freeing the loop while it waits) and gives back its result.
    data = await fetch_forecast(city)
    return JsonResponse(data)
