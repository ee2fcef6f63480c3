"""Right: the id lives in a ContextVar, which every request's task has a copy of, and is
reset when the request is done; sync and async branches both, for the admin's chain."""

import contextvars
import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

HEADER = "X-Request-ID"

current_request_id = contextvars.ContextVar("current_request_id")


class RequestIDMiddleware:
    async_capable = True
    sync_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        token = current_request_id.set(request.headers.get(HEADER) or uuid.uuid4().hex)
        try:
            request.request_id = current_request_id.get()
            response = self.get_response(request)
            response[HEADER] = current_request_id.get()
            return response
        finally:
            current_request_id.reset(token)

    async def __acall__(self, request):
        token = current_request_id.set(request.headers.get(HEADER) or uuid.uuid4().hex)
        try:
            request.request_id = current_request_id.get()
            response = await self.get_response(request)
            response[HEADER] = current_request_id.get()
            return response
        finally:
            current_request_id.reset(token)
