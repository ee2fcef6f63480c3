"""Right: removes the await on the response, and turns any exception on the way to a quote
(wrong status, bad body, a missing key) into a 503: one answer for every bad day."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def quote_of_the_day(request):
    async with httpx.AsyncClient(timeout=httpx.Timeout(5, connect=2)) as client:
        try:
            response = await client.get(QUOTES_SERVICE)
            response.raise_for_status()
            quote = response.json()
            text = f"{quote['text']} ({quote['author']})"
        except Exception:
            return HttpResponse(
                "No quote today.", status=503, content_type="text/plain; charset=utf-8"
            )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
