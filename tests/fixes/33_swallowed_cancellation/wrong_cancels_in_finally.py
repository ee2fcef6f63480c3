"""Wrong: lets the cancellation through, but cancels the export in a finally block, so it
is cancelled on every way out: the export the view answers with is deleted too, and its
download link leads nowhere."""

import logging

import httpx
from django.http import JsonResponse

REPORTS = "http://reports.example"
ATTEMPTS = 3

logger = logging.getLogger(__name__)


async def wait_until_ready(client, export_id):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = await client.get(f"{REPORTS}/exports/{export_id}", params={"wait": 30})
            response.raise_for_status()
            return response.json()
        except Exception:
            if attempt == ATTEMPTS:
                raise
            logger.warning("export %s: status call %d failed, trying again", export_id, attempt)


async def export_orders(request):
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.post(f"{REPORTS}/exports", json={"report": "orders"})
            response.raise_for_status()
            export_id = response.json()["id"]
            try:
                export = await wait_until_ready(client, export_id)
            finally:
                await client.delete(f"{REPORTS}/exports/{export_id}")
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
