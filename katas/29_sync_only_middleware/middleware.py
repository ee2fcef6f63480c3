"""Request IDs: every request gets one (or keeps the caller's), so one id ties the logs of
every service that worked on it together."""

import uuid

HEADER = "X-Request-ID"


class RequestIDMiddleware:
    # TODO: this middleware now sits in front of async views. How does Django have to call it?
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response
