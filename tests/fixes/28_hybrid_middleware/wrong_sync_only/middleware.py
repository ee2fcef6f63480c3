"""Wrong: drops the decorator. Django now adapts the sync middleware: the header is right and
requests overlap, but each request holds a worker thread, blocked, for the whole view."""

import time


def server_timing(get_response):
    def middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response

    return middleware
