"""Right: retries with httpx's own errors only (a ValueError from a broken body too), and
cleans up in `except BaseException` that always re-raises; the DELETE is shielded from a
second cancellation but awaited before the view goes on, so it is done before it stops."""

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
        except (httpx.HTTPError, ValueError):
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
            except BaseException:
                cleanup = asyncio.ensure_future(client.delete(f"{REPORTS}/exports/{export_id}"))
                try:
                    await asyncio.shield(cleanup)
                except asyncio.CancelledError:
                    await cleanup
                    raise
                raise
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
