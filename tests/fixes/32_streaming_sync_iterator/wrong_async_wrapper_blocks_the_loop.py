"""Wrong: wraps the sync generator in an async one. The lines now leave one by one, but each
page is fetched with the blocking client on the event loop: every other request waits."""

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


def order_lines():
    yield csv_line(COLUMNS)
    with httpx.Client(timeout=10) as client:
        page = 1
        while page is not None:
            response = client.get(ORDERS_SERVICE, params={"page": page})
            response.raise_for_status()
            data = response.json()
            for order in data["orders"]:
                yield csv_line([order[column] for column in COLUMNS])
            page = data["next_page"]


async def as_async(lines):
    for line in lines:
        yield line


async def export_orders(request):
    response = StreamingHttpResponse(as_async(order_lines()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
