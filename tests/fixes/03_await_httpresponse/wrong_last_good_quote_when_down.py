"""Wrong: removes the await, and when the quotes service fails, shows the last quote it got,
with a 200. The screen never says anything is wrong: yesterday's quote is passed off as
today's, and nobody notices the service is down."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."
last_quote = None


async def quote_of_the_day(request):
    global last_quote
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        response.raise_for_status()
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        if last_quote is None:
            return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
        quote = last_quote
    last_quote = quote
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
