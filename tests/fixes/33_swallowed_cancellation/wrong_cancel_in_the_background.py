"""Wrong: so the cancellation is not held up, the export is cancelled from a task started and
forgotten: nobody waits for the DELETE, and nobody sees it fail."""

import asyncio
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


async def cancel_export(export_id):
    async with httpx.AsyncClient(timeout=60) as client:
        await client.delete(f"{REPORTS}/exports/{export_id}")


async def export_orders(request):
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.post(f"{REPORTS}/exports", json={"report": "orders"})
            response.raise_for_status()
            export_id = response.json()["id"]
            try:
                export = await wait_until_ready(client, export_id)
            except BaseException:
                asyncio.create_task(cancel_export(export_id))
                raise
    except (httpx.HTTPError, ValueError) as error:
        logger.warning("export failed: %s: %s", type(error).__name__, error)
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
