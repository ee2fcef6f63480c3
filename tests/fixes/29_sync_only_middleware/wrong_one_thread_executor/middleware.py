"""Wrong: async, but it hands each request's old sync code to a worker thread of its own, a
pool of one, which reaches the view through async_to_sync. The site now serves one request
at a time: every request waits for that one thread."""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync, markcoroutinefunction

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False
    executor = ThreadPoolExecutor(max_workers=1)

    def __init__(self, get_response):
        self.get_response = async_to_sync(get_response)
        markcoroutinefunction(self)

    async def __call__(self, request):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.handle, request)

    def handle(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response
