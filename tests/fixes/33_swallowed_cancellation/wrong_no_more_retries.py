"""Wrong: drops the try/except, so cancellation flows again, but a status call that the
reports service drops now fails the whole export instead of being tried again."""

import httpx
from django.http import JsonResponse

REPORTS = "http://reports.example"


async def wait_until_ready(client, export_id):
    response = await client.get(f"{REPORTS}/exports/{export_id}", params={"wait": 30})
    response.raise_for_status()
    return response.json()


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
