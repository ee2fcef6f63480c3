"""Wrong: the call runs in a task the view polls every 50 ms and cancels once the budget is
spent; but when the customer leaves, the view is cancelled in its sleep and the task goes
on waiting for the carrier."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def ask_carrier(sku, postcode):
    async with httpx.AsyncClient() as client:
        response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
    response.raise_for_status()
    return response.json()


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 0.5
    task = asyncio.create_task(ask_carrier(sku, postcode))
    while not task.done():
        if loop.time() >= deadline:
            task.cancel()
            return JsonResponse(
                {"sku": sku, "error": "the carrier did not answer in time"}, status=504
            )
        await asyncio.sleep(0.05)
    try:
        estimate = task.result()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "no estimate"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
