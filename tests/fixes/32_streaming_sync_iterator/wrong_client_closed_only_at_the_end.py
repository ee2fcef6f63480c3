"""Wrong: streams with an async generator, but closes its client only after the last page:
when the orders service fails or the browser leaves, the client is dropped unclosed."""

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
    yield csv_line(COLUMNS)
    client = httpx.AsyncClient(timeout=10)
    page = 1
    while page is not None:
        response = await client.get(ORDERS_SERVICE, params={"page": page})
        data = response.raise_for_status().json()
        for order in data["orders"]:
            yield csv_line([order[column] for column in COLUMNS])
        page = data["next_page"]
    await client.aclose()


async def export_orders(request):
    response = StreamingHttpResponse(order_lines(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
