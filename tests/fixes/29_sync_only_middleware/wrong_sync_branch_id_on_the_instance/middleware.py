"""Wrong: a class for both worlds; the async branch keeps the id in a local, but the sync
branch (used behind a sync-only middleware) keeps it on the instance, which every request
shares: two requests at once there go out with each other's id."""

import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        self.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        request.request_id = self.request_id
        response = self.get_response(request)
        response[HEADER] = self.request_id
        return response

    async def __acall__(self, request):
        request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        request.request_id = request_id
        response = await self.get_response(request)
        response[HEADER] = request_id
        return response
