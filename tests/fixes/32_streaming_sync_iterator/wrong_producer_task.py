"""Wrong: a task fetches the pages into an asyncio.Queue while the response reads from it.
It streams, and the loop stays free, but the task belongs to nobody: when the browser
leaves, it goes on fetching the remaining pages (and would keep every line in memory)."""

import asyncio
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


async def fetch_pages(lines):
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            page = 1
            while page is not None:
                response = await client.get(ORDERS_SERVICE, params={"page": page})
                data = response.raise_for_status().json()
                for order in data["orders"]:
                    await lines.put(csv_line([order[column] for column in COLUMNS]))
                page = data["next_page"]
    except Exception as error:
        await lines.put(error)
    await lines.put(None)


async def order_lines():
    lines = asyncio.Queue()
    producer = asyncio.create_task(fetch_pages(lines))
    yield csv_line(COLUMNS)
    while (line := await lines.get()) is not None:
        if isinstance(line, Exception):
            raise line
        yield line
    await producer


async def export_orders(request):
    response = StreamingHttpResponse(order_lines(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
