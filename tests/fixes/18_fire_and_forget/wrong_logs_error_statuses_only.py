"""Wrong: holds each task until it is done and logs the mail service's error statuses, but
a refused, slow or dropped connection, or a broken answer, fails the task with nothing but
asyncio's complaint."""

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
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            MAIL_SERVICE,
            json={"to": account["email"], "template": "welcome", "name": account["name"]},
        )
    if response.is_error:
        logger.error("welcome email to %s refused: %s", account["email"], response.status_code)
        return
    logger.info("welcome email to %s queued as %s", account["email"], response.json()["id"])


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
