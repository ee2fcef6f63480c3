"""Right: the response is built by an async helper, and it is the helper's coroutine that
gets awaited, not the HttpResponse."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def fetch_quote():
    async with httpx.AsyncClient() as client:
        response = await client.get(QUOTES_SERVICE)
    return response.json()


async def quote_of_the_day(request):
    quote = await fetch_quote()
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
