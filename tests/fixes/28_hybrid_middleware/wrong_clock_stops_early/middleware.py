"""Wrong: has both branches, but the async one stops the clock as soon as get_response has
made its coroutine, before awaiting it: the header says ~0 ms whatever the view took."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware


@sync_and_async_middleware
def server_timing(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            pending = get_response(request)
            elapsed_ms = (time.perf_counter() - started) * 1000
            response = await pending
            response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
            return response

        return markcoroutinefunction(middleware)

    def sync_middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    return sync_middleware
