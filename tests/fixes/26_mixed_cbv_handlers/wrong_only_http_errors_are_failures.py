"""Wrong: treats only httpx errors as failures: a service that answers a body that is not JSON
puts the exception object itself into the page, which cannot be serialised (500)."""

import asyncio
import hashlib
import hmac
import json
import logging

import httpx
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("weather.alerts")

FORECAST_URL = "http://weather.example/forecast"
ALERTS_URL = "http://alerts.example/active"
# Shared with the alerts provider, which signs every webhook call with it.
WEBHOOK_SECRET = b"alerts-provider-shared-secret"


async def ask(client, url, city):
    """One service's JSON answer for ``city``; raises if the service failed in any way."""
    reply = await client.get(url, params={"city": city})
    reply.raise_for_status()
    return reply.json()


# The provider cannot send a CSRF token: the signature is what proves who sent the POST.
@method_decorator(csrf_exempt, name="dispatch")
class CityAlertsView(View):
    """GET: a city's forecast and its active alerts. POST: the provider's webhook, which
    announces a new alert."""

    async def get(self, request, city):
        async with httpx.AsyncClient(timeout=5) as client:
            forecast, alerts = await asyncio.gather(
                ask(client, FORECAST_URL, city),
                ask(client, ALERTS_URL, city),
                return_exceptions=True,
            )
        failed = [answer for answer in (forecast, alerts) if isinstance(answer, httpx.HTTPError)]
        if failed:
            # No page rather than one that leaves an alert out: 502 Bad Gateway.
            logger.warning("weather services failed for %s: %r", city, failed)
            return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
        return JsonResponse({"city": city, "forecast": forecast, "alerts": alerts})

    # A class-based view is all sync or all async: Django picks one way to call the whole
    # class. A handler that awaits nothing is still an `async def` in an async class.
    async def post(self, request, city):
        expected = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
        signature = request.headers.get("X-Signature", "")
        if not hmac.compare_digest(signature, expected):
            return JsonResponse({"error": "bad signature"}, status=403)
        alert = json.loads(request.body)
        logger.info("new alert %s for %s", alert["id"], city)
        return JsonResponse({"accepted": alert["id"], "city": city}, status=202)
