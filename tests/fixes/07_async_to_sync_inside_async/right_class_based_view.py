"""Right: a class-based view with an async get(), asking the orders service through a
small client object; every failure but a 404 is a 503."""

import httpx
from django.http import JsonResponse
from django.views import View


class OrdersService:
    base = "http://orders.example/orders/"

    async def order(self, order_id):
        async with httpx.AsyncClient(base_url=self.base, timeout=5) as client:
            response = await client.get(str(order_id))
        if response.status_code == httpx.codes.NOT_FOUND:
            return None
        response.raise_for_status()
        return response.json()


class OrderStatus(View):
    async def get(self, request, order_id):
        try:
            order = await OrdersService().order(order_id)
        except (httpx.HTTPError, ValueError):
            return JsonResponse({"order": order_id, "error": "try again later"}, status=503)
        if order is None:
            return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
        return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})


order_status = OrderStatus.as_view()
