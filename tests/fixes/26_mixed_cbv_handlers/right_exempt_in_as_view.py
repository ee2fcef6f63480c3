"""Right, written otherwise: csrf_exempt applied to what as_view() returns, one client per
service asked under gather (which waits for both, so no call outlives the answer), any
transport, status or JSON error answered 503, and an async post whose signature check
compares bytes."""

import asyncio
import hashlib
import hmac
import json
import logging

import httpx
from django.http import JsonResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("weather.alerts")

FORECAST_URL = "http://weather.example/forecast"
ALERTS_URL = "http://alerts.example/active"
WEBHOOK_SECRET = b"alerts-provider-shared-secret"


async def ask(url, city):
    async with httpx.AsyncClient(timeout=3) as client:
        reply = await client.get(url, params={"city": city})
    reply.raise_for_status()
    return reply.json()


class CityAlertsView(View):
    """GET: forecast and alerts. POST: the provider's signed webhook."""

    @classmethod
    def as_view(cls, **initkwargs):
        # The provider signs its calls; it cannot send a CSRF token.
        return csrf_exempt(super().as_view(**initkwargs))

    async def get(self, request, city):
        answers = await asyncio.gather(
            ask(FORECAST_URL, city), ask(ALERTS_URL, city), return_exceptions=True
        )
        errors = [answer for answer in answers if isinstance(answer, Exception)]
        if errors:
            logger.warning("weather for %s unavailable: %r", city, errors)
            return JsonResponse({"error": "try again later"}, status=503)
        forecast, alerts = answers
        return JsonResponse({"city": city, "forecast": forecast, "alerts": alerts})

    async def post(self, request, city):
        signature = request.headers.get("X-Signature", "").encode()
        expected = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(signature, expected):
            return JsonResponse({"error": "bad signature"}, status=403)
        alert = json.loads(request.body)
        return JsonResponse({"accepted": alert["id"], "city": city}, status=202)
