"""Wrong: streams page by page from an async generator, but writes each line by joining the
values with commas: a customer's name with a comma or a quote breaks the CSV's columns."""

import httpx
from django.http import StreamingHttpResponse

ORDERS_SERVICE = "http://orders.example/orders"
COLUMNS = ["id", "customer", "total"]


async def order_lines():
    yield ",".join(COLUMNS) + "\r\n"
    async with httpx.AsyncClient(timeout=10) as client:
        page = 1
        while page is not None:
            response = await client.get(ORDERS_SERVICE, params={"page": page})
            response.raise_for_status()
            data = response.json()
            for order in data["orders"]:
                yield ",".join(str(order[column]) for column in COLUMNS) + "\r\n"
            page = data["next_page"]


async def export_orders(request):
    response = StreamingHttpResponse(order_lines(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
