"""Wrong: a class that picks its branch from get_response; the async branch keeps its start in
a local, but the sync branch keeps it on the instance, built once for the site: behind a
sync-only middleware, requests at the same time share one start."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction


class ServerTiming:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        self.started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - self.started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response

    async def __acall__(self, request):
        started = time.perf_counter()
        response = await self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response


server_timing = ServerTiming
