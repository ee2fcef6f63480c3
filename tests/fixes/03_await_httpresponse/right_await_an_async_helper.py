"""Right: the response is built by an async helper, and it is the helper's coroutine that
gets awaited, not the HttpResponse; the helper turns a failing service into a 502."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def fetch_quote():
    """Today's quote as a line of text, or None when the quotes service failed."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        response.raise_for_status()
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        return None
    return f"{quote['text']} ({quote['author']})"


async def quote_of_the_day(request):
    text = await fetch_quote()
    if text is None:
        return HttpResponse("No quote today.", status=502, content_type="text/plain")
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
