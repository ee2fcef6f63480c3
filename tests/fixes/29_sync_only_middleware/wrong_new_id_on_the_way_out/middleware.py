"""Wrong: a function middleware marked async-only that works the id out twice, once on the
way in and once on the way out: a caller without one gets back another id than the one the
orders service saw."""

import uuid

from django.utils.decorators import async_only_middleware

HEADER = "X-Request-ID"


def request_id_of(request):
    return request.headers.get(HEADER) or uuid.uuid4().hex


@async_only_middleware
def RequestIDMiddleware(get_response):
    async def middleware(request):
        request.request_id = request_id_of(request)
        response = await get_response(request)
        response[HEADER] = request_id_of(request)
        return response

    return middleware
