"""Wrong: async-only, but puts the id on successful answers only ("errors have their own
page"): the failed request, the one support must find in the logs, comes back without it."""

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
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = await self.get_response(request)
        if response.status_code < 400:
            response[HEADER] = request.request_id
        return response
