"""Wrong: removes the await, and catches what goes wrong on the wire (httpx.RequestError:
refused, dropped, timed out) but never checks the status: a 500 or 503 with a JSON error is
read as a quote, and the screen shows a 500 (KeyError) or a quote made of None."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        quote = response.json()
    except (httpx.RequestError, ValueError):
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    text = f"{quote.get('text')} ({quote.get('author')})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
