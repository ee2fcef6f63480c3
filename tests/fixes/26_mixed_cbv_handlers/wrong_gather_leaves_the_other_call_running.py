"""Wrong: gathers the two calls without return_exceptions and turns the first failure into
a 502, but the other call is left running on its own, on a client that is being closed
under it."""

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
WEBHOOK_SECRET = b"alerts-provider-shared-secret"


async def ask(client, url, city):
    reply = await client.get(url, params={"city": city})
    reply.raise_for_status()
    return reply.json()


@method_decorator(csrf_exempt, name="dispatch")
class CityAlertsView(View):
    async def get(self, request, city):
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                forecast, alerts = await asyncio.gather(
                    ask(client, FORECAST_URL, city), ask(client, ALERTS_URL, city)
                )
        except (httpx.HTTPError, ValueError):
            return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
        return JsonResponse({"city": city, "forecast": forecast, "alerts": alerts})

    async def post(self, request, city):
        expected = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("X-Signature", ""), expected):
            return JsonResponse({"error": "bad signature"}, status=403)
        alert = json.loads(request.body)
        logger.info("new alert %s for %s", alert["id"], city)
        return JsonResponse({"accepted": alert["id"], "city": city}, status=202)
