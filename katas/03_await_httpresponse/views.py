import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


async def quote_of_the_day(request):
    async with httpx.AsyncClient() as client:
        response = await client.get(QUOTES_SERVICE)
    quote = response.json()
    text = f"{quote['text']} ({quote['author']})"
    # TODO: check each `await` in this view: is the thing after it something you can await?
    return await HttpResponse(text, content_type="text/plain; charset=utf-8")
