"""Wrong: streams with an async generator, but ignores next_page and asks for pages until one
comes back empty: after the last page it asks the service for one that does not exist."""

import csv
import io

import httpx
from django.http import StreamingHttpResponse

ORDERS_SERVICE = "http://orders.example/orders"
COLUMNS = ["id", "customer", "total"]


def csv_line(values):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


async def order_lines():
    """The export, line by line: each page of orders is fetched only when it is needed."""
    yield csv_line(COLUMNS)
    async with httpx.AsyncClient(timeout=10) as client:
        page = 1
        while True:
            response = await client.get(ORDERS_SERVICE, params={"page": page})
            response.raise_for_status()
            orders = response.json()["orders"]
            if not orders:
                break
            for order in orders:
                yield csv_line([order[column] for column in COLUMNS])
            page += 1


async def export_orders(request):
    response = StreamingHttpResponse(
        # Under ASGI, Django sends each item of an async iterator as soon as it is yielded;
        # a sync iterator it can only run to the end in a thread, then send it all at once.
        order_lines(),
        content_type="text/csv",
    )
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
