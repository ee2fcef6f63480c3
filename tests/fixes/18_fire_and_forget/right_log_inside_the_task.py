"""Right: the background coroutine catches and logs its own failure, and a set holds each
task until its done callback discards it."""

import asyncio
import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)
_running = set()


async def send_welcome_email(account):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(
                MAIL_SERVICE,
                json={"to": account["email"], "template": "welcome", "name": account["name"]},
            )
        response.raise_for_status()
        response.json()["id"]
    except (httpx.HTTPError, ValueError, KeyError):
        logger.exception("could not send the welcome email to %s", account["email"])


async def signup(request):
    data = json.loads(request.body)
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(
                ACCOUNT_SERVICE, json={"email": data["email"], "name": data["name"]}
            )
        response.raise_for_status()
        account = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "the account could not be created"}, status=502)

    task = asyncio.create_task(send_welcome_email(account))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return JsonResponse(account, status=201)
