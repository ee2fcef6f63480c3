"""Wrong: holds each task until it is done and logs its failure, but the log says only
"welcome email failed" and the error (the mail service's URL): not whose email, so support
still cannot tell which user to contact."""

import asyncio
import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)
_background = set()


async def send_welcome_email(account):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            MAIL_SERVICE,
            json={"to": account["email"], "template": "welcome", "name": account["name"]},
        )
    response.raise_for_status()
    logger.info("welcome email to %s queued as %s", account["email"], response.json()["id"])


def _done(task):
    _background.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("welcome email failed: %s", task.exception())


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
    _background.add(task)
    task.add_done_callback(_done)
    return JsonResponse(account, status=201)
