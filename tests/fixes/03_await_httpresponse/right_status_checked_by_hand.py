"""Right: one deadline around the call with asyncio.timeout, the status and the JSON checked
by hand, and every failure of the service (transport errors included) answered 503."""

import asyncio
import json

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"


def no_quote():
    return HttpResponse(
        "No quote today, sorry.", status=503, content_type="text/plain; charset=utf-8"
    )


async def quote_of_the_day(request):
    try:
        async with asyncio.timeout(5), httpx.AsyncClient() as client:
            response = await client.get(QUOTES_SERVICE)
    except (TimeoutError, httpx.TransportError):
        return no_quote()
    if response.status_code != 200:
        return no_quote()
    try:
        quote = json.loads(response.text)
    except json.JSONDecodeError:
        return no_quote()
    return HttpResponse(f"{quote['text']} ({quote['author']})", content_type="text/plain")
