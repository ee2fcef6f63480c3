"""Wrong: makes get sync instead, running the fetches through async_to_sync. Both verbs work,
but the view is a sync view again: Django gives every request a worker thread."""

import asyncio
import hashlib
import hmac
import json
import logging

import httpx
from asgiref.sync import async_to_sync
from django.http import JsonResponse
from django.views import View

logger = logging.getLogger("weather.alerts")

FORECAST_URL = "http://weather.example/forecast"
ALERTS_URL = "http://alerts.example/active"
# Shared with the alerts provider, which signs every webhook call with it.
WEBHOOK_SECRET = b"alerts-provider-shared-secret"


class CityAlertsView(View):
    """GET: a city's forecast and its active alerts. POST: the provider's webhook, which
    announces a new alert."""

    def get(self, request, city):
        return JsonResponse(async_to_sync(self.fetch)(city))

    async def fetch(self, city):
        async with httpx.AsyncClient(timeout=5) as client:
            forecast, alerts = await asyncio.gather(
                client.get(FORECAST_URL, params={"city": city}),
                client.get(ALERTS_URL, params={"city": city}),
            )
        return {"city": city, "forecast": forecast.json(), "alerts": alerts.json()}

    def post(self, request, city):
        expected = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
        signature = request.headers.get("X-Signature", "")
        if not hmac.compare_digest(signature, expected):
            return JsonResponse({"error": "bad signature"}, status=403)
        alert = json.loads(request.body)
        logger.info("new alert %s for %s", alert["id"], city)
        return JsonResponse({"accepted": alert["id"], "city": city}, status=202)
