"""Request IDs: every request gets one (or keeps the caller's), so one id ties the logs of
every service that worked on it together."""

import uuid

from asgiref.sync import markcoroutinefunction

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    # An async-only middleware: Django awaits it on the event loop and hands it the async
    # rest of the chain. A sync-only one is called in a worker thread, which then sits
    # blocked in async_to_sync for the whole view: one thread held per request in flight.
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = await self.get_response(request)
        response[HEADER] = request.request_id
        return response
