"""Wrong: lets the cancellation through, but retries a failing status call for two seconds,
with no pause: a reports service that is down gets dozens of calls per export."""

import logging
import time

import httpx
from django.http import JsonResponse

REPORTS = "http://reports.example"
ATTEMPTS = 3

logger = logging.getLogger(__name__)


async def wait_until_ready(client, export_id):
    """Wait for the export's file. The reports service holds each status call until the file
    is ready (long polling); it drops a call now and then, so try again."""
    give_up_at = time.monotonic() + 2.0
    attempt = 0
    while True:
        attempt += 1
        try:
            response = await client.get(f"{REPORTS}/exports/{export_id}", params={"wait": 30})
            response.raise_for_status()
            return response.json()
        except Exception:
            if time.monotonic() >= give_up_at:
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
                # Whatever stopped us, nobody will collect this file: cancel the export, so
                # the reports service stops working on it, and let the error go on.
                await client.delete(f"{REPORTS}/exports/{export_id}")
                raise
    # The reports service failed (an error status, a broken body, a connection that failed):
    # say so plainly, rather than with a 500.
    except (httpx.HTTPError, ValueError) as error:
        logger.warning("export failed: %s: %s", type(error).__name__, error)
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
