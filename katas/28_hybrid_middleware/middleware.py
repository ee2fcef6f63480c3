"""Server-Timing: tells the browser's devtools how long Django spent on each request."""

import time

from django.utils.decorators import sync_and_async_middleware


@sync_and_async_middleware
def server_timing(get_response):
    # TODO: on an ASGI site, what kind of get_response does Django hand this factory,
    # and what does it expect the factory to give back?
    def middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response

    return middleware
