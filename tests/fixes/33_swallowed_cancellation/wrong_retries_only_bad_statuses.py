"""Wrong: retries only error statuses (httpx.HTTPStatusError), which lets the cancellation
through, but a status call that the reports service drops (a timeout, a connection closed
mid-answer) is not tried again: the export fails for a hiccup."""

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
        except httpx.HTTPStatusError:
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
