"""Right: a class that checks, like Django's own MiddlewareMixin, which get_response it was
given, and switches to an async __call__ (marked as a coroutine function) for the ASGI site."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction


class server_timing:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.acall(request)
        started = time.perf_counter()
        return self.timed(self.get_response(request), started)

    async def acall(self, request):
        started = time.perf_counter()
        return self.timed(await self.get_response(request), started)

    def timed(self, response, started):
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
