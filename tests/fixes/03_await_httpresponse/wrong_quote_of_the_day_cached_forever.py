"""Wrong: removes the await, and keeps the first quote it fetched "to spare the quotes
service". The screen shows the same quote for ever: the next day's quote never appears, and
a service that has gone down is never noticed."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."
cached = {}


async def quote_of_the_day(request):
    if "text" not in cached:
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get(QUOTES_SERVICE)
            response.raise_for_status()
            quote = response.json()
        except (httpx.HTTPError, ValueError):
            return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
        cached["text"] = f"{quote['text']} ({quote['author']})"
    return HttpResponse(cached["text"], content_type="text/plain; charset=utf-8")
