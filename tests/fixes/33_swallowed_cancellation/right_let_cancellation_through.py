"""Right: keeps the catch-all retry but lets CancelledError through first, and cleans up in
a finally block that knows whether the file was collected."""

import asyncio

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
        except asyncio.CancelledError:
            raise
        except BaseException:
            if attempt == ATTEMPTS:
                raise


async def export_orders(request):
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.post(f"{REPORTS}/exports", json={"report": "orders"})
            response.raise_for_status()
            export_id = response.json()["id"]
            export = None
            try:
                export = await wait_until_ready(client, export_id)
            finally:
                if export is None:
                    await client.delete(f"{REPORTS}/exports/{export_id}")
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
