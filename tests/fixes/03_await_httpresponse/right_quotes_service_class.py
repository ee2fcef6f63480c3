"""Right: a small client class for the quotes service that raises its own error for any
failure; the view turns that error into a 503 with a line of text."""

import json

import httpx
from django.http import HttpResponse


class QuotesUnavailable(Exception):
    """The quotes service gave no usable quote."""


class QuotesService:
    url = "http://quotes.example/today"

    async def today(self):
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(5, connect=2)) as client:
                response = await client.get(self.url)
        except httpx.TransportError as error:
            raise QuotesUnavailable(str(error)) from error
        if response.status_code != 200:
            raise QuotesUnavailable(f"status {response.status_code}")
        try:
            quote = json.loads(response.content)
            return f"{quote['text']} ({quote['author']})"
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise QuotesUnavailable("unreadable answer") from error


async def quote_of_the_day(request):
    try:
        text = await QuotesService().today()
    except QuotesUnavailable:
        return HttpResponse(
            "There is no quote today, sorry.", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
