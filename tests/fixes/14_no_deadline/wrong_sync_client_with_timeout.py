"""Wrong: a half-second timeout on a sync httpx call made in the async view. The deadline
works, but for that half-second the call holds the event loop: every other request the
server is serving waits for the carrier too. (Only the house rules see it: the loop held.)"""

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        response = httpx.get(
            CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}, timeout=0.5
        )
        response.raise_for_status()
        estimate = response.json()
    except httpx.TimeoutException:
        return JsonResponse({"sku": sku, "error": "carrier timeout"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "carrier unavailable"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
