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
    """The export, line by line: each page of orders is fetched only when it is needed."""
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


async def export_orders(request):
    response = StreamingHttpResponse(
        # TODO: how does Django, under ASGI, send what this iterator yields?
        order_lines(),
        content_type="text/csv",
    )
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
