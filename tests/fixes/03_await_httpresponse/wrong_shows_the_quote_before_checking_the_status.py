"""Wrong: shows whatever quote-shaped JSON comes back and checks the status only when there
is none, so the service's error status is read as an answer whenever its body parses."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    text, author = quote.get("text"), quote.get("author")
    if not text:
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    return HttpResponse(f"{text} ({author})", content_type="text/plain; charset=utf-8")
