"""Wrong: handles the quotes service answering an error status, and nothing else. A refused
connection, a timeout, a dropped connection or a body that is not JSON still turns the
screen into a 500: httpx.HTTPStatusError is one of many ways a service fails."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(QUOTES_SERVICE)
    try:
        response.raise_for_status()
    except httpx.HTTPStatusError:
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    quote = response.json()
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
