"""Wrong: removes the await from the network call and keeps the one on the response; the
request is never sent, and response.json() fails on a coroutine."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def quote_of_the_day(request):
    async with httpx.AsyncClient() as client:
        response = client.get(QUOTES_SERVICE)
    quote = response.json()
    text = f"{quote['text']} ({quote['author']})"
    return await HttpResponse(text, content_type="text/plain; charset=utf-8")
