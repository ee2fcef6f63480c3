"""Wrong: lets the cancellation through, but waits before each new try with time.sleep cut
into slices short enough to stay under the stall limit: the loop is held all the same
(a second bug, outside this kata's lesson: only the harness's house rules catch it)."""

import time

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
        except Exception:
            if attempt == ATTEMPTS:
                raise
            for _ in range(6):
                time.sleep(0.02)


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
