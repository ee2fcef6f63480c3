"""Wrong: an async generator that fetches every page before yielding the first line. Django
is happy and the loop is free, but the browser still waits for the whole export."""

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


async def fetch_all_orders():
    orders = []
    async with httpx.AsyncClient(timeout=10) as client:
        page = 1
        while page is not None:
            response = await client.get(ORDERS_SERVICE, params={"page": page})
            data = response.raise_for_status().json()
            orders.extend(data["orders"])
            page = data["next_page"]
    return orders


async def order_lines():
    orders = await fetch_all_orders()
    yield csv_line(COLUMNS)
    for order in orders:
        yield csv_line([order[column] for column in COLUMNS])


async def export_orders(request):
    response = StreamingHttpResponse(order_lines(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
