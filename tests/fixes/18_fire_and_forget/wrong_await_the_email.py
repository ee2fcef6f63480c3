"""Wrong: awaits the email before answering, and logs its failure; nothing is forgotten any
more, but every sign-up now waits for the slow mail service."""

import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)


async def send_welcome_email(account):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            MAIL_SERVICE,
            json={"to": account["email"], "template": "welcome", "name": account["name"]},
        )
    response.raise_for_status()
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

    try:
        await send_welcome_email(account)
    except (httpx.HTTPError, ValueError):
        logger.exception("could not send the welcome email to %s", account["email"])
    return JsonResponse(account, status=201)
