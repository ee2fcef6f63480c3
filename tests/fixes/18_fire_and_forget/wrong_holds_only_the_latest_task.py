"""Wrong: holds only the latest email task in one global, so with sign-ups at once the earlier tasks are held by nothing."""

import asyncio
import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)
# The email task in flight, so the event loop's weak reference is not the only one.
_email_task = None


async def send_welcome_email(account):
    """Ask the mail service to send the welcome email; it can take a while."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            MAIL_SERVICE,
            json={"to": account["email"], "template": "welcome", "name": account["name"]},
        )
    response.raise_for_status()
    logger.info("welcome email to %s queued as %s", account["email"], response.json()["id"])


def _background_task_done(task):
    """Let the finished task go, and log its failure: nobody awaits it to hear of it."""
    global _email_task
    if _email_task is task:
        _email_task = None
    if not task.cancelled() and task.exception() is not None:
        logger.error("%s failed", task.get_name(), exc_info=task.exception())


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
        # No account, so no email: the form asks the user to try again.
        return JsonResponse({"error": "the account could not be created, try again"}, status=502)
    logger.info("new account %s", account["id"])

    task = asyncio.create_task(
        send_welcome_email(account), name=f"welcome email to {account['email']}"
    )
    global _email_task
    _email_task = task
    task.add_done_callback(_background_task_done)
    return JsonResponse(account, status=201)
