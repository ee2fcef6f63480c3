"""Right: async-only; keeps each request's id in a module dict keyed by id(request), but
only while the request is in flight: the entry goes in a finally block, so no later
request can ever find it, whatever the view did."""

import uuid

from asgiref.sync import markcoroutinefunction

HEADER = "X-Request-ID"

_in_flight = {}


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        key = id(request)
        _in_flight[key] = request.headers.get(HEADER) or uuid.uuid4().hex
        try:
            request.request_id = _in_flight[key]
            response = await self.get_response(request)
            response[HEADER] = _in_flight[key]
            return response
        finally:
            del _in_flight[key]
