"""Wrong: removes the await from the network call and keeps the one on the response; the
request is never sent, and response.raise_for_status() fails on a coroutine."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = client.get(QUOTES_SERVICE)
        response.raise_for_status()
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    text = f"{quote['text']} ({quote['author']})"
    return await HttpResponse(text, content_type="text/plain; charset=utf-8")
