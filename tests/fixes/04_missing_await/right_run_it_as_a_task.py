"""Right: hands the coroutine to a task and awaits the task; the forecast is fetched once
and nothing is left unawaited."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def fetch_forecast(city):
    async with httpx.AsyncClient() as client:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
    response.raise_for_status()
    return response.json()


async def forecast(request, city):
    task = asyncio.create_task(fetch_forecast(city))
    return JsonResponse(await task)
