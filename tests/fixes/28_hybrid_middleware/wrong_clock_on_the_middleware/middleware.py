"""Wrong: a MiddlewareMixin (sync and async, as Django's own) that keeps the clock's start on
the middleware: Django builds it once for the whole site, so requests at the same time share
one start, and a slow request reports the time since the latest one began."""

import time

from django.utils.deprecation import MiddlewareMixin


class server_timing(MiddlewareMixin):
    def process_request(self, request):
        self.started = time.perf_counter()

    def process_response(self, request, response):
        elapsed_ms = (time.perf_counter() - self.started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
