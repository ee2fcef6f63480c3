"""Wrong: reports a failing service as a JSON object, which the screen shows as it is, braces
and all."""

import httpx
from django.http import HttpResponse, JsonResponse

QUOTES_SERVICE = "http://quotes.example/today"
# What the screen shows when the quotes service lets us down.
NO_QUOTE = "No quote today: the quotes service is not answering."


async def quote_of_the_day(request):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(QUOTES_SERVICE)
        response.raise_for_status()
        quote = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": NO_QUOTE}, status=502)
    text = f"{quote['text']} ({quote['author']})"
    # Await only what is awaitable: the network call above is a coroutine and must be
    # awaited, but HttpResponse(...) is a plain object, built at once; just return it.
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
