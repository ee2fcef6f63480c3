"""The compliance team's audit middleware, from an old internal package: it logs who asked
for what. It declares nothing, so Django takes it for a sync-only middleware. Some of the
brokerage's sites run it after ``server_timing``; leave it as it is."""

import logging

logger = logging.getLogger("brokerage.audit")


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        logger.info("%s %s answered %s", request.method, request.path, response.status_code)
        return response
