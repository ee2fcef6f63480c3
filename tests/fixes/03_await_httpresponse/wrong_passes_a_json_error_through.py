"""Wrong: shows the service's own error message when it sent one, and the fixed line only
for an HTML page or no answer: the screen shows `{"error": "internal server error"}`."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
    except httpx.HTTPError:
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    if response.is_error:
        # Pass on what the service says when it says something readable.
        if response.headers.get("content-type", "").startswith("application/json"):
            return HttpResponse(response.text, status=502, content_type="text/plain")
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    try:
        quote = response.json()
    except ValueError:
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
