"""Wrong: both branches, the async one awaited, but the header gives seconds where
Server-Timing's dur is in milliseconds: devtools shows a 200 ms request as 0.2 ms."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware


@sync_and_async_middleware
def server_timing(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            response = await get_response(request)
            response["Server-Timing"] = f"app;dur={time.perf_counter() - started:.3f}"
            return response

        return markcoroutinefunction(middleware)

    def sync_middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={time.perf_counter() - started:.3f}"
        return response

    return sync_middleware
