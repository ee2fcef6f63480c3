"""Wrong: an async __call__ that hands the old sync code to sync_to_async. The chain looks
async, but the sync code still reaches the view through async_to_sync from a thread."""

import uuid

from asgiref.sync import async_to_sync, markcoroutinefunction, sync_to_async

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        return await sync_to_async(self.handle)(request)

    def handle(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = async_to_sync(self.get_response)(request)
        response[HEADER] = request.request_id
        return response
