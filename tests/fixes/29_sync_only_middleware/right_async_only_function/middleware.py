"""Right: a function middleware marked async-only, as Django's docs show: Django awaits it
on the event loop, and adapts it (with sync_to_async, never a thread left waiting for the
view) wherever the chain around it is sync."""

import uuid

from django.utils.decorators import async_only_middleware

HEADER = "X-Request-ID"


@async_only_middleware
def RequestIDMiddleware(get_response):
    async def middleware(request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = await get_response(request)
        response[HEADER] = request.request_id
        return response

    return middleware
