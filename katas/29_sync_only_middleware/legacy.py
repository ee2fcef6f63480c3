"""The shop's old store middleware, from the days of gunicorn: it picks the store (country)
a request is for. It declares nothing, so Django takes it for a sync-only middleware. The
admin site still runs it after ``RequestIDMiddleware``; leave it as it is."""

STORES = {"uk", "ie", "fr", "de"}


class StoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        store = request.headers.get("X-Store", "uk").lower()
        request.store = store if store in STORES else "uk"
        return self.get_response(request)
