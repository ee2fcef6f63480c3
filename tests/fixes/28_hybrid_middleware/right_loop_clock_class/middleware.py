"""Right, written otherwise: a class with both flags whose __call__ hands off to an async
__acall__ on an ASGI chain (as Django's MiddlewareMixin does), timing with the loop's clock
in the async branch and perf_counter in the sync one; each request has its own start."""

import asyncio
import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction


class ServerTiming:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        started = time.perf_counter()
        response = self.get_response(request)
        return self.timed(response, (time.perf_counter() - started) * 1000)

    async def __acall__(self, request):
        loop = asyncio.get_running_loop()
        started = loop.time()
        response = await self.get_response(request)
        return self.timed(response, (loop.time() - started) * 1000)

    @staticmethod
    def timed(response, elapsed_ms):
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response


server_timing = ServerTiming
