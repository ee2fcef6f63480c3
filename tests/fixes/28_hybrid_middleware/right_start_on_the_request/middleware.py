"""Right, written otherwise: a MiddlewareMixin whose start time rides on the request (one per
request, never shared), timed with time.monotonic_ns."""

import time

from django.utils.deprecation import MiddlewareMixin


class server_timing(MiddlewareMixin):
    def process_request(self, request):
        request.timing_started_ns = time.monotonic_ns()

    def process_response(self, request, response):
        elapsed_ms = (time.monotonic_ns() - request.timing_started_ns) / 1e6
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
