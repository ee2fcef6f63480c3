"""Right: a class-based view whose async post() authenticates with aauthenticate (the hasher
runs in a worker thread) and logs in with alogin; health stays a plain async view."""

import json

from django.contrib.auth import aauthenticate, alogin
from django.http import JsonResponse
from django.views import View


class Login(View):
    async def post(self, request):
        credentials = json.loads(request.body)
        user = await aauthenticate(
            request,
            username=credentials.get("username", ""),
            password=credentials.get("password", ""),
        )
        if user is None:
            return JsonResponse({"error": "wrong username or password"}, status=401)
        await alogin(request, user)
        return JsonResponse({"username": user.username})


login = Login.as_view()


async def health(request):
    return JsonResponse({"status": "ok"})
