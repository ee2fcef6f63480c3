"""Wrong: both branches, but the header is only added to successful answers ("only pages
worth timing"): a failed quote, the one worth looking into, carries no Server-Timing."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware


def add_timing(response, started):
    if response.status_code < 400:
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
    return response


@sync_and_async_middleware
def server_timing(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            return add_timing(await get_response(request), started)

        return markcoroutinefunction(middleware)

    def middleware(request):
        started = time.perf_counter()
        return add_timing(get_response(request), started)

    return middleware
