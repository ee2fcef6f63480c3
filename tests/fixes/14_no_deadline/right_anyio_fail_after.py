"""Right: the half-second budget as an anyio cancel scope (fail_after) around the call: on
asyncio it cancels the call when the budget is spent, and raises TimeoutError for a 504."""

import anyio
import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
CARRIER_BUDGET = 0.5


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            with anyio.fail_after(CARRIER_BUDGET):
                response = await client.get(
                    CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}
                )
        response.raise_for_status()
        estimate = response.json()
    except TimeoutError:
        return JsonResponse({"sku": sku, "error": "no estimate in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "no estimate"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
