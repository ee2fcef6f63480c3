"""Right: a function middleware for both worlds, with a real async branch, so the
same code serves the ASGI site without a thread and a WSGI process without a loop."""

import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware

HEADER = "X-Request-ID"


def assign_id(request):
    request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex


@sync_and_async_middleware
def RequestIDMiddleware(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request):
            assign_id(request)
            response = await get_response(request)
            response[HEADER] = request.request_id
            return response

        markcoroutinefunction(middleware)
    else:

        def middleware(request):
            assign_id(request)
            response = get_response(request)
            response[HEADER] = request.request_id
            return response

    return middleware
