"""Wrong: removes the await, and HTML-escapes the quote "to be safe". The answer is plain text,
not HTML: nothing reads the entities back, so the screen shows `It&#x27;s` and
`Abelson &amp; Sussman`."""

import httpx
from django.http import HttpResponse
from django.utils.html import escape

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
    text = escape(f"{quote['text']} ({quote['author']})")
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
