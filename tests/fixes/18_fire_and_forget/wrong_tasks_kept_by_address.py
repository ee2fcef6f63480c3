"""Wrong: holds each email's task in a dict keyed by the address, dropped when done; a person
who clicks "Sign up" twice overwrites the first task, which nothing holds any more."""

import asyncio
import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)
# The background tasks still running: the event loop itself keeps only a weak reference to
# a task, so a task that nothing else refers to may vanish before it is done.
_sending = {}


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
    _sending.pop(task.get_name(), None)
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

    # A task that nobody awaits needs two things done for it: a strong reference until it
    # finishes (kept in _background), and someone to hear about its failure (the done
    # callback logs it). Without them, the task can vanish half-way, and its error is lost,
    # or at best surfaces as asyncio's "Task exception was never retrieved", long after.
    # One email in flight per address: keyed by it, dropped when done.
    task = asyncio.create_task(send_welcome_email(account), name=account["email"])
    _sending[account["email"]] = task
    task.add_done_callback(_background_task_done)
    return JsonResponse(account, status=201)
