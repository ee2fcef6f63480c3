"""Wrong: checks the signature over the body decoded and stripped of surrounding
whitespace: a body the provider signed with a trailing newline is refused, and a body
changed only in its surrounding whitespace is accepted."""

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
        async with httpx.AsyncClient(timeout=5) as client:
            answers = await asyncio.gather(
                ask(client, FORECAST_URL, city),
                ask(client, ALERTS_URL, city),
                return_exceptions=True,
            )
        if any(isinstance(answer, Exception) for answer in answers):
            return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
        forecast, alerts = answers
        return JsonResponse({"city": city, "forecast": forecast, "alerts": alerts})

    async def post(self, request, city):
        text = request.body.decode("utf-8", "replace").strip()
        expected = hmac.new(WEBHOOK_SECRET, text.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("X-Signature", ""), expected):
            return JsonResponse({"error": "bad signature"}, status=403)
        try:
            alert = json.loads(text)
        except ValueError:
            return JsonResponse({"error": "not JSON"}, status=400)
        logger.info("new alert %s for %s", alert["id"], city)
        return JsonResponse({"accepted": alert["id"], "city": city}, status=202)
