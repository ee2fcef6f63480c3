"""Wrong: tries the service a second time after a failure, pausing with time.sleep first:
the pause holds the event loop, and every other screen's request with it."""

import time

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def fetch_quote():
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(QUOTES_SERVICE)
    response.raise_for_status()
    return response.json()


async def quote_of_the_day(request):
    for attempt in range(2):
        try:
            quote = await fetch_quote()
            break
        except (httpx.HTTPError, ValueError):
            if attempt == 1:
                return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
            time.sleep(0.1)
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
