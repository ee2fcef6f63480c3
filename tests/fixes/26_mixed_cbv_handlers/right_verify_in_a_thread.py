"""Right, written otherwise: post awaits the signature check in asyncio.to_thread (no
sync_to_async), and get runs both calls as tasks, answering 504 on a timeout and 502 on any
other failure, the other call cancelled."""

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


def signed_by_provider(body, signature):
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, expected)


@method_decorator(csrf_exempt, name="dispatch")
class CityAlertsView(View):
    async def get(self, request, city):
        async with httpx.AsyncClient(timeout=4) as client:
            tasks = [
                asyncio.ensure_future(client.get(url, params={"city": city}))
                for url in (FORECAST_URL, ALERTS_URL)
            ]
            try:
                forecast, alerts = [
                    reply.raise_for_status().json() for reply in await asyncio.gather(*tasks)
                ]
            except httpx.TimeoutException:
                return JsonResponse({"error": "weather too slow"}, status=504)
            except (httpx.HTTPError, json.JSONDecodeError):
                return JsonResponse({"error": "weather unavailable"}, status=502)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        return JsonResponse({"city": city, "forecast": forecast, "alerts": alerts})

    async def post(self, request, city):
        signature = request.headers.get("X-Signature", "")
        if not await asyncio.to_thread(signed_by_provider, request.body, signature):
            return JsonResponse({"error": "bad signature"}, status=403)
        alert = json.loads(request.body)
        return JsonResponse({"accepted": alert["id"], "city": city}, status=202)
