"""Wrong: async, but keeps each request's id in a module dict keyed by id(request), never
emptied. Once a request is freed its address is handed to a later request, which then
goes out with the old request's id (and the dict grows with every request)."""

import uuid

from asgiref.sync import markcoroutinefunction

HEADER = "X-Request-ID"

_ids = {}


def request_id_for(request):
    key = id(request)
    if key not in _ids:
        _ids[key] = request.headers.get(HEADER) or uuid.uuid4().hex
    return _ids[key]


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        request.request_id = request_id_for(request)
        response = await self.get_response(request)
        response[HEADER] = request_id_for(request)
        return response
