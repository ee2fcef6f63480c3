"""Right: retries error statuses and transport errors, and answers a quote cut off half-way
with 503 at once, without retrying it: the README allows either."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"
ATTEMPTS = 3
# Seconds to wait before the first retry; each retry waits twice as long as the one before.
BACKOFF = 0.15


class ParcelRefused(Exception):
    """ParcelPro answered 4xx: the request itself is wrong, and asking again cannot help."""


# Failures worth another attempt: a server error (5xx), a refused or dropped connection, a
# timeout, a body cut off half-way. A busy carrier recovers from these.
TRANSIENT = (httpx.HTTPStatusError, httpx.TransportError, ValueError)


async def ask_once(client, params):
    """One attempt: ParcelPro's quote, or the exception that says why there is none."""
    response = await client.get(CARRIER_RATES, params=params)
    if 400 <= response.status_code < 500:
        raise ParcelRefused(response.status_code)
    response.raise_for_status()
    return response.json()


async def ask_carrier(client, params):
    """The quote; after a transient failure, try again after a growing pause."""
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await ask_once(client, params)
        except (httpx.HTTPStatusError, httpx.TransportError):
            if attempt == ATTEMPTS:
                raise
        # time.sleep would freeze the event loop for the whole pause, and with it every
        # other request in the process. An awaited sleep pauses this request only.
        await asyncio.sleep(delay)
        delay *= 2


async def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            quote = await ask_carrier(client, params)
    except ParcelRefused:
        return JsonResponse({"error": "ParcelPro cannot ship this parcel"}, status=400)
    except httpx.HTTPError:
        return JsonResponse({"error": "ParcelPro is not answering, try again later"}, status=503)
    except ValueError:
        return JsonResponse({"error": "ParcelPro sent a garbled quote"}, status=503)
    return JsonResponse(
        {
            "carrier": "ParcelPro",
            "price": quote["price"],
            "currency": quote["currency"],
            "days": quote["days"],
        }
    )
