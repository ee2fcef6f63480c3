"""Wrong: an httpx timeout on connecting only; a carrier that accepts the connection and
then never answers keeps the page waiting for the default five seconds of the rest."""

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(5, connect=0.5)) as client:
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        response.raise_for_status()
        estimate = response.json()
    except httpx.TimeoutException:
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "no estimate"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
