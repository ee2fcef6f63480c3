"""Right: an async generator that sends each page as one chunk (the csv writer fills a
buffer per page), fetching the next page only once that chunk is out."""

import csv
import io

import httpx
from django.http import StreamingHttpResponse

ORDERS_SERVICE = "http://orders.example/orders"
COLUMNS = ["id", "customer", "total"]


async def order_pages(client):
    page = 1
    while page is not None:
        response = await client.get(ORDERS_SERVICE, params={"page": page})
        data = response.raise_for_status().json()
        yield data["orders"]
        page = data["next_page"]


async def export():
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    yield buffer.getvalue()
    async with httpx.AsyncClient(timeout=10) as client:
        async for orders in order_pages(client):
            buffer = io.StringIO()
            csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore").writerows(orders)
            yield buffer.getvalue()


async def export_orders(request):
    response = StreamingHttpResponse(export(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
