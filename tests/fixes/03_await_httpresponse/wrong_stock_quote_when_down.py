"""Wrong: when the quotes service fails, shows a stock quote with 200, as if it were today's.
The screen never says anything is wrong, and nobody notices the service is down: a made-up
answer is worse than a clear "no quote today" with a 502."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
STOCK_QUOTE = {"text": "Keep calm and carry on.", "author": "Anonymous"}


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        response.raise_for_status()
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        quote = STOCK_QUOTE
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
