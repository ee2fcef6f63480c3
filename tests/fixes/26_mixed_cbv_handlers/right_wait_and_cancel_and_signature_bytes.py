"""Right: GET asks both services with asyncio.wait and cancels what is still pending when one
fails; POST compares the signature's bytes (bytes.fromhex), refusing one that is not hex."""

import asyncio
import hashlib
import hmac
import json

import httpx
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

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
            tasks = [
                asyncio.create_task(ask(client, FORECAST_URL, city)),
                asyncio.create_task(ask(client, ALERTS_URL, city)),
            ]
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if pending or any(task.exception() is not None for task in done):
            return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
        forecast, alerts = (task.result() for task in tasks)
        return JsonResponse({"city": city, "forecast": forecast, "alerts": alerts})

    async def post(self, request, city):
        try:
            sent = bytes.fromhex(request.headers.get("X-Signature", ""))
        except ValueError:
            sent = b""
        expected = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).digest()
        if not hmac.compare_digest(sent, expected):
            return JsonResponse({"error": "bad signature"}, status=403)
        alert = json.loads(request.body)
        return JsonResponse({"accepted": alert["id"], "city": city}, status=202)
