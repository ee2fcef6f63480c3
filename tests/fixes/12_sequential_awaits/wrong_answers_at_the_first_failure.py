"""Wrong: asks the three partners at once, each with its own client, and answers 502 at the
first failure, leaving the other calls running behind the page."""

import asyncio

import httpx
from django.http import JsonResponse

PARTNERS = {
    "weather": ("http://weather.example/forecast", "forecast"),
    "hotels": ("http://hotels.example/search", "hotels"),
    "events": ("http://events.example/upcoming", "events"),
}


async def ask(client, url, key, city):
    """The partner's answer under ``key``; LookupError when it gave no usable answer."""
    try:
        response = await client.get(url, params={"city": city})
        response.raise_for_status()
        return response.json()[key]
    except (httpx.HTTPError, ValueError, KeyError) as error:
        raise LookupError(url) from error
    finally:
        await client.aclose()


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    tasks = {
        asyncio.create_task(ask(httpx.AsyncClient(timeout=5), url, key, city)): name
        for name, (url, key) in PARTNERS.items()
    }
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    if any(task.exception() for task in done):
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse({"city": city, **{tasks[task]: task.result() for task in tasks}})
