"""Wrong: a thread runs the sync generator and hands each line over through a queue. The
lines stream and the loop stays free, but nothing stops the thread: when the browser
leaves, it goes on fetching every remaining page for nobody."""

import asyncio
import csv
import io
import queue
import threading

import httpx
from django.http import StreamingHttpResponse

ORDERS_SERVICE = "http://orders.example/orders"
COLUMNS = ["id", "customer", "total"]
DONE = object()


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


def produce(lines, handover):
    try:
        for line in lines:
            handover.put(line)
    except Exception as error:
        handover.put(error)
    handover.put(DONE)


async def streamed(lines):
    handover = queue.Queue()
    threading.Thread(target=produce, args=(lines, handover), daemon=True).start()
    while (line := await asyncio.to_thread(handover.get)) is not DONE:
        if isinstance(line, Exception):
            raise line
        yield line


async def export_orders(request):
    response = StreamingHttpResponse(streamed(order_lines()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
