"""Right, written otherwise: a function middleware marked async-only, ids from
secrets.token_hex, the caller's id read from request.META."""

import secrets

from django.utils.decorators import async_only_middleware


@async_only_middleware
def RequestIDMiddleware(get_response):
    async def middleware(request):
        request_id = request.META.get("HTTP_X_REQUEST_ID", "").strip()
        request.request_id = request_id or secrets.token_hex(16)
        response = await get_response(request)
        response["X-Request-ID"] = request.request_id
        return response

    return middleware
