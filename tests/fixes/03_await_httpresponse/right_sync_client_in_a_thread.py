"""Right: removes the await on the response, and fetches the quote with the sync httpx client
in a worker thread (asyncio.to_thread): the event loop stays free while the service answers."""

import asyncio

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


def fetch_quote():
    response = httpx.get(QUOTES_SERVICE, timeout=5)
    response.raise_for_status()
    return response.json()


async def quote_of_the_day(request):
    try:
        quote = await asyncio.to_thread(fetch_quote)
    except (httpx.HTTPError, ValueError):
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    return HttpResponse(f"{quote['text']} ({quote['author']})", content_type="text/plain")
