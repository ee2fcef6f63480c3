"""Wrong: "too many awaits", so it removes both and fetches the quote with the sync httpx.get.
The screen shows the quote, but the call blocks the event loop for the whole round trip to
the quotes service: every other request on the server waits meanwhile."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    try:
        response = httpx.get(QUOTES_SERVICE, timeout=5)
        response.raise_for_status()
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
