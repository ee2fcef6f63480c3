"""Wrong: keeps each request's id in a dict keyed by the task serving it, and lets it go
only when the page answered 200: every failed request leaves its id behind for ever."""

import asyncio
import uuid

from asgiref.sync import markcoroutinefunction

HEADER = "X-Request-ID"

_by_task = {}


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        task = asyncio.current_task()
        _by_task[task] = request.headers.get(HEADER) or uuid.uuid4().hex
        request.request_id = _by_task[task]
        response = await self.get_response(request)
        response[HEADER] = _by_task[task]
        if response.status_code == 200:
            del _by_task[task]
        return response
