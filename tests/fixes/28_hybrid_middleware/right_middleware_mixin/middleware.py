"""Right: Django's MiddlewareMixin, as its own middleware are written: it adapts itself to
the get_response it is given. The clock starts in process_request and stops in
process_response; each hops to a thread for a moment, but no thread waits for the view."""

import time

from django.utils.deprecation import MiddlewareMixin


class server_timing(MiddlewareMixin):
    def process_request(self, request):
        request.timing_started = time.perf_counter()

    def process_response(self, request, response):
        elapsed_ms = (time.perf_counter() - request.timing_started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
