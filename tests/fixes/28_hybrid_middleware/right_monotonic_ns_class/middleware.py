"""Right: a class that declares both modes and picks its branch from get_response, timing
with the integer monotonic clock; the header rounds to whole milliseconds."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction


class ServerTiming:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.timed(request)
        started = time.monotonic_ns()
        return self.stamp(self.get_response(request), started)

    async def timed(self, request):
        started = time.monotonic_ns()
        return self.stamp(await self.get_response(request), started)

    @staticmethod
    def stamp(response, started):
        response["Server-Timing"] = f"app;dur={(time.monotonic_ns() - started) // 1_000_000}"
        return response


server_timing = ServerTiming
