"""Wrong: the async branch uses the wall clock, but the sync branch (the one behind a
sync-only middleware) times with time.process_time: the CPU spent, not the time waited."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware


@sync_and_async_middleware
def server_timing(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            response = await get_response(request)
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            return response

        markcoroutinefunction(middleware)
    else:

        def middleware(request):
            started = time.process_time()
            response = get_response(request)
            response["Server-Timing"] = f"app;dur={(time.process_time() - started) * 1000:.1f}"
            return response

    return middleware
