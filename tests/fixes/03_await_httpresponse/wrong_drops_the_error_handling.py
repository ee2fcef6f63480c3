"""Wrong: removes the await on the response, and "tidies up" the try/except on the way. The
quote shows on a good day; on a bad one (the service down, slow, or answering an error page)
the screen gets a 500 error page instead of "no quote today"."""

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def quote_of_the_day(request):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(QUOTES_SERVICE)
    quote = response.json()
    text = f"{quote['text']} ({quote['author']})"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
