"""Wrong: shields each status call from cancellation "so a long poll is never cut half-way":
the view stops and cancels the export when the client leaves, but the status call goes on
waiting for the reports service, for nobody."""

import asyncio
import logging

import httpx
from django.http import JsonResponse

REPORTS = "http://reports.example"
ATTEMPTS = 3

logger = logging.getLogger(__name__)
SHARED = httpx.AsyncClient(timeout=60)


async def wait_until_ready(client, export_id):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = await asyncio.shield(
                client.get(f"{REPORTS}/exports/{export_id}", params={"wait": 30})
            )
            response.raise_for_status()
            return response.json()
        except Exception:
            if attempt == ATTEMPTS:
                raise
            logger.warning("export %s: status call %d failed, trying again", export_id, attempt)


async def export_orders(request):
    try:
        client = SHARED
        if True:
            response = await client.post(f"{REPORTS}/exports", json={"report": "orders"})
            response.raise_for_status()
            export_id = response.json()["id"]
            try:
                export = await wait_until_ready(client, export_id)
            except BaseException:
                await client.delete(f"{REPORTS}/exports/{export_id}")
                raise
    except (httpx.HTTPError, ValueError) as error:
        logger.warning("export failed: %s: %s", type(error).__name__, error)
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
