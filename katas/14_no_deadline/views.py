import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        # The carrier's API is slow at peak times and we kept getting ReadTimeouts: wait for it.
        async with httpx.AsyncClient(timeout=None) as client:
            # TODO: how long can this line keep the product page waiting?
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        response.raise_for_status()
        estimate = response.json()
    except (httpx.HTTPError, ValueError):
        # A broken carrier: the page shows "delivery date unavailable", not an error page.
        return JsonResponse(
            {"sku": sku, "error": "the carrier could not give an estimate"}, status=502
        )
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
