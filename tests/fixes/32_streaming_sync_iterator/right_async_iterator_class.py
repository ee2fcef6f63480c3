"""Right: an async iterator written as a class: each __anext__ awaits the next page when the
lines of the last one are out, and aclose() (which Django calls however the stream ends)
closes the client."""

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


class OrderLines:
    def __init__(self):
        self.client = httpx.AsyncClient(timeout=10)
        self.pending = [csv_line(COLUMNS)]
        self.next_page = 1

    def __aiter__(self):
        return self

    async def __anext__(self):
        while not self.pending:
            if self.next_page is None:
                await self.aclose()
                raise StopAsyncIteration
            try:
                response = await self.client.get(ORDERS_SERVICE, params={"page": self.next_page})
                data = response.raise_for_status().json()
            except BaseException:
                await self.aclose()
                raise
            self.pending = [csv_line([o[c] for c in COLUMNS]) for o in data["orders"]]
            self.next_page = data["next_page"]
        return self.pending.pop(0)

    async def aclose(self):
        await self.client.aclose()


async def export_orders(request):
    response = StreamingHttpResponse(OrderLines(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
