import asyncio

from django.http import JsonResponse


async def slow(request):
    await asyncio.sleep(0.3)
    return JsonResponse({"ok": True})
