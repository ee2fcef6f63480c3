"""Wrong: async, and Django awaits it on the loop, but it keeps the request id on the
middleware instance, which every request shares. With requests in flight at once, one
request's response goes out with another's id."""

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
        self.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        request.request_id = self.request_id
        response = await self.get_response(request)
        response[HEADER] = self.request_id
        return response
