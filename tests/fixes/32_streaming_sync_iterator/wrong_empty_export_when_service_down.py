"""Wrong: asks for page 1 before answering, and when the orders service fails right away it
sends a 200 export with the header line alone: the accountant saves an empty file that
looks like a shop with no orders."""

import csv
import io
import logging

import httpx
from django.http import StreamingHttpResponse

ORDERS_SERVICE = "http://orders.example/orders"
COLUMNS = ["id", "customer", "total"]

logger = logging.getLogger(__name__)


def csv_line(values):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


async def fetch_page(client, page):
    response = await client.get(ORDERS_SERVICE, params={"page": page})
    return response.raise_for_status().json()


async def order_lines(first):
    yield csv_line(COLUMNS)
    if first is None:
        return
    async with httpx.AsyncClient(timeout=10) as client:
        data = first
        while True:
            for order in data["orders"]:
                yield csv_line([order[column] for column in COLUMNS])
            if data["next_page"] is None:
                return
            data = await fetch_page(client, data["next_page"])


async def export_orders(request):
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            first = await fetch_page(client, 1)
    except (httpx.HTTPError, ValueError):
        logger.exception("orders service unavailable")
        first = None
    response = StreamingHttpResponse(order_lines(first), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
