"""Wrong: both branches right, but the async one also ships each timing to the metrics
collector in a task it never waits for: the task is still running after the response."""

import asyncio
import logging
import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware

metrics = logging.getLogger("brokerage.metrics")


async def report(path, elapsed_ms):
    await asyncio.sleep(0.05)  # the collector's round trip
    metrics.info("%s %.1f", path, elapsed_ms)


@sync_and_async_middleware
def server_timing(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            response = await get_response(request)
            elapsed_ms = (time.perf_counter() - started) * 1000
            response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
            asyncio.create_task(report(request.path, elapsed_ms))
            return response

        markcoroutinefunction(middleware)
    else:

        def middleware(request):
            started = time.perf_counter()
            response = get_response(request)
            elapsed_ms = (time.perf_counter() - started) * 1000
            response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
            return response

    return middleware
