"""Wrong: async, but it "leases" each new id the old way: it waits, with time.sleep in short
slices, until a hundredth of a second has passed since the last id, so that ids never
share a timestamp. Each slice is short, but they add up, on the loop: every request waits."""

import threading
import time
import uuid

from asgiref.sync import markcoroutinefunction

HEADER = "X-Request-ID"
_last = [0.0]
_lock = threading.Lock()


def lease_id():
    with _lock:
        while time.monotonic() - _last[0] < 0.01:
            time.sleep(0.002)
        _last[0] = time.monotonic()
    return uuid.uuid1().hex


class RequestIDMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        request.request_id = request.headers.get(HEADER) or lease_id()
        response = await self.get_response(request)
        response[HEADER] = request.request_id
        return response
