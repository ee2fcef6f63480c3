"""Right: each email task is kept in a dict by account id and takes itself out in a finally; failures are logged inside the task."""

import asyncio
import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)
_sending = {}


async def send_welcome_email(account):
    """Ask the mail service to send the welcome email; log, with whose it was, if it fails."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(
                MAIL_SERVICE,
                json={"to": account["email"], "template": "welcome", "name": account["name"]},
            )
        response.raise_for_status()
        logger.info("welcome email to %s queued as %s", account["email"], response.json()["id"])
    except Exception:
        logger.exception("welcome email to account %s could not be sent", account["id"])
    finally:
        _sending.pop(account["id"], None)


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
        return JsonResponse({"error": "the account could not be created, try again"}, status=502)
    logger.info("new account %s", account["id"])
    _sending[account["id"]] = asyncio.create_task(send_welcome_email(account))
    return JsonResponse(account, status=201)
