"""Wrong: a class that says it can do both (sync_capable and async_capable) but only has an
async __call__. Wherever Django hands it a sync get_response (behind a sync-only
middleware), it awaits a response: every page is a 500 there."""

import time

from asgiref.sync import markcoroutinefunction


class server_timing:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        started = time.perf_counter()
        response = await self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
