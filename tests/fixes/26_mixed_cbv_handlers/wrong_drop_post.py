"""Wrong: deletes the sync post so that Django accepts the class. The page loads again, but
the provider's webhook calls now get 405 and every new alert is lost."""

import asyncio
import logging

import httpx
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("weather.alerts")

FORECAST_URL = "http://weather.example/forecast"
ALERTS_URL = "http://alerts.example/active"


async def ask(client, url, city):
    """One service's JSON answer for ``city``; raises if the service failed in any way."""
    reply = await client.get(url, params={"city": city})
    reply.raise_for_status()
    return reply.json()


# The provider cannot send a CSRF token: the signature is what proves who sent the POST.
@method_decorator(csrf_exempt, name="dispatch")
class CityAlertsView(View):
    """GET: a city's forecast and its active alerts."""

    async def get(self, request, city):
        async with httpx.AsyncClient(timeout=5) as client:
            forecast, alerts = await asyncio.gather(
                ask(client, FORECAST_URL, city),
                ask(client, ALERTS_URL, city),
                return_exceptions=True,
            )
        failed = [answer for answer in (forecast, alerts) if isinstance(answer, Exception)]
        if failed:
            # No page rather than one that leaves an alert out: 502 Bad Gateway.
            logger.warning("weather services failed for %s: %r", city, failed)
            return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
        return JsonResponse({"city": city, "forecast": forecast, "alerts": alerts})
