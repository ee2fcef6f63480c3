"""Server-Timing: tells the browser's devtools how long Django spent on each request."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware


def add_timing(response, started):
    elapsed_ms = (time.perf_counter() - started) * 1000
    response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
    return response


@sync_and_async_middleware
def server_timing(get_response):
    # sync_and_async_middleware promises Django both modes. On an ASGI site Django hands the
    # factory an async get_response and expects an async middleware back: one that awaits
    # the rest of the chain. The sync branch stays for WSGI.
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            response = await get_response(request)
            return add_timing(response, started)

        markcoroutinefunction(middleware)
    else:

        def middleware(request):
            started = time.perf_counter()
            response = get_response(request)
            return add_timing(response, started)

    return middleware
