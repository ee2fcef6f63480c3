"""Wrong: swallows the error and shows a hard-coded quote, so the screen never shows the
quotes service's quote of the day."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def quote_of_the_day(request):
    async with httpx.AsyncClient() as client:
        response = await client.get(QUOTES_SERVICE)
    quote = response.json()
    text = f"{quote['text']} ({quote['author']})"
    try:
        return await HttpResponse(text, content_type="text/plain; charset=utf-8")
    except TypeError:
        return HttpResponse("Stay curious. (Anonymous)", content_type="text/plain")
