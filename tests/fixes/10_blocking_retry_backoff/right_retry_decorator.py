"""Right: a small retry decorator, as many codebases have, that awaits its backoff; it reads
the answer's status itself instead of relying on exceptions, and gives up with a 502 whose
body says what the carrier did."""

import asyncio
import functools

import httpx
from django.http import JsonResponse

CARRIER_RATES = "http://parcelpro.example/v2/rates"


class Transient(Exception):
    """A failure another attempt may cure."""


def retried(attempts, first_pause, factor=2):
    def decorate(call):
        @functools.wraps(call)
        async def with_retries(*args, **kwargs):
            pause = first_pause
            for attempt in range(attempts):
                try:
                    return await call(*args, **kwargs)
                except Transient:
                    if attempt == attempts - 1:
                        raise
                await asyncio.sleep(pause)
                pause *= factor

        return with_retries

    return decorate


@retried(attempts=3, first_pause=0.15)
async def ask_carrier(client, params):
    try:
        response = await client.get(CARRIER_RATES, params=params)
    except httpx.TransportError as error:
        raise Transient(f"no answer: {type(error).__name__}") from error
    if response.status_code >= 500:
        raise Transient(f"status {response.status_code}")
    if response.status_code >= 400:
        return None
    try:
        return response.json()
    except ValueError as error:
        raise Transient("garbled answer") from error


async def shipping_quote(request):
    params = {
        "postcode": request.GET.get("postcode", ""),
        "weight_kg": request.GET.get("weight_kg", "1"),
    }
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            quote = await ask_carrier(client, params)
    except Transient as failure:
        return JsonResponse({"error": f"ParcelPro failed: {failure}"}, status=502)
    if quote is None:
        return JsonResponse({"error": "ParcelPro cannot ship this parcel"}, status=400)
    return JsonResponse(
        {
            "carrier": "ParcelPro",
            "price": quote["price"],
            "currency": quote["currency"],
            "days": quote["days"],
        }
    )
