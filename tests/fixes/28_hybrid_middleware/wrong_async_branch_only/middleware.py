"""Wrong: keeps @sync_and_async_middleware but writes only the async branch. On this site it
works; but it still tells Django it can be sync, and behind a sync-only middleware Django
hands it a sync get_response, whose response it then tries to await: a 500 on every page."""

import time

from asgiref.sync import markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware


@sync_and_async_middleware
def server_timing(get_response):
    async def middleware(request):
        started = time.perf_counter()
        response = await get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    return markcoroutinefunction(middleware)
