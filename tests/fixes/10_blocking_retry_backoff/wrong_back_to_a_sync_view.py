"""Wrong: makes the whole view sync again (httpx.Client, time.sleep), so that each checkout
sleeps in the thread Django gives a sync view: no loop is blocked, but each retrying
customer holds a thread through both pauses, and the view is no longer async."""

import time

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
BACKOFF = 0.15


class ParcelRefused(Exception):
    """ParcelPro answered 4xx: the request itself is wrong, and asking again cannot help."""


TRANSIENT = (httpx.HTTPStatusError, httpx.TransportError, ValueError)


def ask_carrier(client, params):
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = client.get(CARRIER_RATES, params=params)
            if 400 <= response.status_code < 500:
                raise ParcelRefused(response.status_code)
            response.raise_for_status()
            return response.json()
        except TRANSIENT:
            if attempt == ATTEMPTS:
                raise
        time.sleep(delay)
        delay *= 2


def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    try:
        with httpx.Client(timeout=5) as client:
            quote = ask_carrier(client, params)
    except ParcelRefused:
        return JsonResponse({"error": "ParcelPro cannot ship this parcel"}, status=400)
    except TRANSIENT:
        return JsonResponse({"error": "ParcelPro is not answering, try again later"}, status=503)
    return JsonResponse(
        {
            "carrier": "ParcelPro",
            "price": quote["price"],
            "currency": quote["currency"],
            "days": quote["days"],
        }
    )
