"""Wrong: says async_capable and has an async __call__, but leaves sync_capable at its
default, True. On this site Django awaits it; but where a sync-only middleware comes after
it, Django treats it as sync and the chain cannot even be built."""

import uuid

from asgiref.sync import markcoroutinefunction

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = await self.get_response(request)
        response[HEADER] = request.request_id
        return response
