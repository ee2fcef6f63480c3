import httpx
from django.http import HttpResponse

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
        # 502 Bad Gateway: this server is fine, the service behind it is not.
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    text = f"{quote['text']} ({quote['author']})"
    # TODO: check each `await` in this view: is the thing after it something you can await?
    return await HttpResponse(text, content_type="text/plain; charset=utf-8")
