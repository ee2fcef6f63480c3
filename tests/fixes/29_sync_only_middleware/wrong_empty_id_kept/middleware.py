"""Wrong: async-only, but takes the caller's header whenever it is there: a proxy that sends
an empty X-Request-ID gives the request the id "", and every such request shares it."""

import uuid

from asgiref.sync import markcoroutinefunction

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        request.request_id = request.headers.get(HEADER, uuid.uuid4().hex)
        response = await self.get_response(request)
        response[HEADER] = request.request_id
        return response
