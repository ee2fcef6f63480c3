"""Right: the done callback is bound to the account (functools.partial), so it can say
whose email failed; the set holds the task until then, and the callback lets it go."""

import asyncio
import functools
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


def _done(account, task):
    _background.discard(task)
    if task.cancelled():
        logger.warning("welcome email to %s was cancelled", account["email"])
    elif task.exception() is not None:
        logger.warning(
            "welcome email to %s (account %s) failed",
            account["email"],
            account["id"],
            exc_info=task.exception(),
        )


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
    task.add_done_callback(functools.partial(_done, account))
    return JsonResponse(account, status=201)
