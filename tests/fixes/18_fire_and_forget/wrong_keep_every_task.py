"""Wrong: appends every task to a module-level list so it cannot vanish, and logs failures;
but the list is never emptied, so every finished task stays in memory for the life of the
server."""

import asyncio
import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)
background_tasks = []


async def send_welcome_email(account):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            MAIL_SERVICE,
            json={"to": account["email"], "template": "welcome", "name": account["name"]},
        )
    response.raise_for_status()
    logger.info("welcome email to %s queued as %s", account["email"], response.json()["id"])


def log_failure(task):
    if not task.cancelled() and task.exception() is not None:
        logger.error("welcome email failed: %r", task.exception())


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
    background_tasks.append(task)
    task.add_done_callback(log_failure)
    return JsonResponse(account, status=201)
