"""Right: retries only httpx's errors (transport failures and bad statuses), so a
cancellation goes straight up to the cleanup and out of the view."""

import httpx
from django.http import JsonResponse

REPORTS = "http://reports.example"
ATTEMPTS = 3


async def wait_until_ready(client, export_id):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = await client.get(f"{REPORTS}/exports/{export_id}", params={"wait": 30})
            return response.raise_for_status().json()
        except httpx.HTTPError:
            if attempt == ATTEMPTS:
                raise


async def export_orders(request):
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.post(f"{REPORTS}/exports", json={"report": "orders"})
            response.raise_for_status()
            export_id = response.json()["id"]
            try:
                export = await wait_until_ready(client, export_id)
            except BaseException:
                await client.delete(f"{REPORTS}/exports/{export_id}")
                raise
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
