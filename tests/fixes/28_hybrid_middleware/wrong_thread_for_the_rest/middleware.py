"""Wrong: an async middleware that reaches the rest of the chain through a thread:
asyncio.to_thread(async_to_sync(get_response)). The header is right and requests overlap,
but every request in flight holds a thread of the default executor, blocked for the whole
view: the cost of a sync-only middleware, hidden where no line of the kata's code shows."""

import asyncio
import time

from asgiref.sync import async_to_sync, iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware


@sync_and_async_middleware
def server_timing(get_response):
    if iscoroutinefunction(get_response):
        rest_of_the_chain = async_to_sync(get_response)

        async def middleware(request):
            started = time.perf_counter()
            response = await asyncio.to_thread(rest_of_the_chain, request)
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            return response

        return markcoroutinefunction(middleware)

    def sync_middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    return sync_middleware
