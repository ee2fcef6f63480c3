"""Wrong: declares itself async-capable but keeps a sync __call__, so it gets the async
chain and treats the coroutine it returns as a response."""

import uuid

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response
