"""Wrong: deletes the sync post so that Django accepts the class. The page loads again, but
the provider's webhook calls now get 405 and every new alert is lost."""

import asyncio
import logging

import httpx
from django.http import JsonResponse
from django.views import View

logger = logging.getLogger("weather.alerts")

FORECAST_URL = "http://weather.example/forecast"
ALERTS_URL = "http://alerts.example/active"


class CityAlertsView(View):
    """GET: a city's forecast and its active alerts."""

    async def get(self, request, city):
        async with httpx.AsyncClient(timeout=5) as client:
            forecast, alerts = await asyncio.gather(
                client.get(FORECAST_URL, params={"city": city}),
                client.get(ALERTS_URL, params={"city": city}),
            )
        return JsonResponse({"city": city, "forecast": forecast.json(), "alerts": alerts.json()})
