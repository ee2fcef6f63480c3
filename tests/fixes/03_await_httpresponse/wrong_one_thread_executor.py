"""Wrong: fetches with the sync client in a pool of one thread: the loop stays free, but
every screen in the office waits for the one before it."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import HttpResponse

QUOTES_SERVICE = "http://quotes.example/today"
NO_QUOTE = "No quote today: the quotes service is not answering."
POOL = ThreadPoolExecutor(max_workers=1)


def fetch_quote():
    response = httpx.get(QUOTES_SERVICE, timeout=5)
    response.raise_for_status()
    return response.json()


async def quote_of_the_day(request):
    try:
        quote = await asyncio.get_running_loop().run_in_executor(POOL, fetch_quote)
    except (httpx.HTTPError, ValueError):
        return HttpResponse(NO_QUOTE, status=502, content_type="text/plain; charset=utf-8")
    return HttpResponse(f"{quote['text']} ({quote['author']})", content_type="text/plain")
