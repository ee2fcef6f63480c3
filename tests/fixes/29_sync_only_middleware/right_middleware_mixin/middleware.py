"""Right: MiddlewareMixin, as Django's own middleware do. Its process_request and
process_response hop to a thread for a moment, but no thread waits while the view runs."""

import uuid

from django.utils.deprecation import MiddlewareMixin

HEADER = "X-Request-ID"


class RequestIDMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.request_id = request.headers.get(HEADER) or uuid.uuid4().hex

    def process_response(self, request, response):
        response[HEADER] = request.request_id
        return response
