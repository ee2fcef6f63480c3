"""Wrong: async-only, but it "normalises" the caller's id to its first eight characters so
log lines stay short: the caller's id does not come back as it was sent."""

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
        request.request_id = (request.headers.get(HEADER) or uuid.uuid4().hex)[:8]
        response = await self.get_response(request)
        response[HEADER] = request.request_id
        return response
