"""Wrong: races the call against a timer task and cancels the call when the timer wins; but
when the customer leaves, nothing cancels the call task, which goes on waiting."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
CARRIER_BUDGET = 0.5


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    async with httpx.AsyncClient() as client:
        call = asyncio.create_task(
            client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        )
        timer = asyncio.create_task(asyncio.sleep(CARRIER_BUDGET))
        # Whichever ends first wins: the carrier's answer or the page's budget.
        await asyncio.wait({call, timer}, return_when=asyncio.FIRST_COMPLETED)
        if not call.done():
            call.cancel()
            return JsonResponse(
                {"sku": sku, "error": "the carrier did not answer in time"}, status=504
            )
        timer.cancel()
    try:
        response = call.result()
        response.raise_for_status()
        estimate = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse(
            {"sku": sku, "error": "the carrier could not give an estimate"}, status=502
        )
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
