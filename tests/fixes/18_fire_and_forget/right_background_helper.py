"""Right: a small reusable helper for fire-and-forget work: it keeps each task in a set
until it is done, then lets it go and logs a failure as a warning, with the task's name."""

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


def _finished(task):
    _background.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        logger.warning("background task %r failed: %r", task.get_name(), error)


def run_in_background(coro, name):
    task = asyncio.create_task(coro, name=name)
    _background.add(task)
    task.add_done_callback(_finished)
    return task


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

    run_in_background(send_welcome_email(account), f"welcome email to {account['email']}")
    return JsonResponse(account, status=201)
