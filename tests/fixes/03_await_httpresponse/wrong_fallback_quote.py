"""Wrong: swallows the error and shows a hard-coded quote, so the screen never shows the
quotes service's quote of the day."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        response.raise_for_status()
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    text = f"{quote['text']} ({quote['author']})"
    try:
        return await HttpResponse(text, content_type="text/plain; charset=utf-8")
    except TypeError:
        return HttpResponse("Stay curious. (Anonymous)", content_type="text/plain")
