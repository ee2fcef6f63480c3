"""Wrong: an async middleware that hands each request's old sync code to one worker thread
of its own, which reaches the view through async_to_sync. Django is satisfied, but the site
serves one request at a time: each waits for that one thread."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync, iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware

TIMING_THREAD = ThreadPoolExecutor(max_workers=1)


def timed(get_response):
    def middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    return middleware


@sync_and_async_middleware
def server_timing(get_response):
    if not iscoroutinefunction(get_response):
        return timed(get_response)
    sync_middleware = timed(async_to_sync(get_response))

    async def middleware(request):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(TIMING_THREAD, sync_middleware, request)

    return markcoroutinefunction(middleware)
