"""Wrong: cancels the export whenever a status call fails, the disconnect included, but
still swallows the cancellation and goes on polling for a client that has left."""

import httpx
from django.http import JsonResponse

REPORTS = "http://reports.example"
ATTEMPTS = 3


async def wait_until_ready(client, export_id):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = await client.get(f"{REPORTS}/exports/{export_id}", params={"wait": 30})
            response.raise_for_status()
            return response.json()
        except BaseException:
            await client.delete(f"{REPORTS}/exports/{export_id}")
            if attempt == ATTEMPTS:
                raise


async def export_orders(request):
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.post(f"{REPORTS}/exports", json={"report": "orders"})
            response.raise_for_status()
            export_id = response.json()["id"]
            export = await wait_until_ready(client, export_id)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
