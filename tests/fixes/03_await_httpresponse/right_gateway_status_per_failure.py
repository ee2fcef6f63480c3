"""Right: removes the await on the response, and tells the failures apart: 504 when the
quotes service did not answer in time, 502 for anything else it got wrong."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


def no_quote(status):
    return HttpResponse("No quote today.", status=status, content_type="text/plain")


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        response.raise_for_status()
        quote = response.json()
    except httpx.TimeoutException:
        return no_quote(504)
    except (httpx.HTTPError, ValueError):
        return no_quote(502)
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
