"""Right: this site is ASGI only, so the middleware says so and has just the async branch;
Django awaits it on the loop."""

import time

from django.utils.decorators import async_only_middleware


@async_only_middleware
def server_timing(get_response):
    async def middleware(request):
        started = time.perf_counter()
        response = await get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    return middleware
