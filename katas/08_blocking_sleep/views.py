import time

from django.http import JsonResponse


async def slow(request):
    time.sleep(0.3)
    return JsonResponse({"ok": True})
