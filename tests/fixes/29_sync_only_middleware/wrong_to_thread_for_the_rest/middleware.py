"""Wrong: async, but it reaches the rest of the chain through a thread:
asyncio.to_thread(async_to_sync(get_response)). Ids are right and requests overlap, but
every request in flight holds a thread of the default executor, blocked for the whole view:
the thread per request is still there, where no line of the kata's code shows."""

import asyncio
import uuid

from asgiref.sync import async_to_sync, markcoroutinefunction

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.rest_of_the_chain = async_to_sync(get_response)
        markcoroutinefunction(self)

    async def __call__(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = await asyncio.to_thread(self.rest_of_the_chain, request)
        response[HEADER] = request.request_id
        return response
