"""Wrong: lets the cancellation through and cancels the export, but sends the DELETE with a new
AsyncClient that it never closes."""

import logging

import httpx
from django.http import JsonResponse

REPORTS = "http://reports.example"
ATTEMPTS = 3

logger = logging.getLogger(__name__)


async def wait_until_ready(client, export_id):
    """Wait for the export's file. The reports service holds each status call until the file
    is ready (long polling); it drops a call now and then, so try again."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = await client.get(f"{REPORTS}/exports/{export_id}", params={"wait": 30})
            response.raise_for_status()
            return response.json()
        # Retry what can fail in the reports service, and nothing else: CancelledError (the
        # client left) is a BaseException, not an Exception, so it goes on up and stops us.
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
            except BaseException:
                # Whatever stopped us, nobody will collect this file: cancel the export, so
                # the reports service stops working on it, and let the error go on.
                await httpx.AsyncClient(timeout=10).delete(f"{REPORTS}/exports/{export_id}")
                raise
    # The reports service failed (an error status, a broken body, a connection that failed):
    # say so plainly, rather than with a 500.
    except (httpx.HTTPError, ValueError) as error:
        logger.warning("export failed: %s: %s", type(error).__name__, error)
        return JsonResponse({"error": "The reports service failed; try again."}, status=502)
    return JsonResponse({"export": export_id, "download": export["url"]})
