import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def quote_of_the_day(request):
    async with httpx.AsyncClient() as client:
        response = await client.get(QUOTES_SERVICE)
    quote = response.json()
    text = f"{quote['text']} ({quote['author']})"
    # Await only what is awaitable: the network call above is a coroutine and must be
    # awaited, but HttpResponse(...) is a plain object, built at once; just return it.
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
