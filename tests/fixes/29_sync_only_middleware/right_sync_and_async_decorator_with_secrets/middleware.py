"""Right, written otherwise: a function middleware under sync_and_async_middleware with a real
async branch (and a sync one for a sync chain), ids from secrets.token_urlsafe."""

import secrets

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.decorators import sync_and_async_middleware

HEADER = "X-Request-ID"


def request_id_of(request):
    return request.headers.get(HEADER) or secrets.token_urlsafe(16)


@sync_and_async_middleware
def RequestIDMiddleware(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request):
            request.request_id = request_id_of(request)
            response = await get_response(request)
            response[HEADER] = request.request_id
            return response

        return markcoroutinefunction(middleware)

    def middleware(request):
        request.request_id = request_id_of(request)
        response = get_response(request)
        response[HEADER] = request.request_id
        return response

    return middleware
