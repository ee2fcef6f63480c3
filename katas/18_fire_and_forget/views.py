import asyncio
import json
import logging

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)


async def send_welcome_email(account):
    """Ask the mail service to send the welcome email; it can take a while."""
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
        # No account, so no email: the form asks the user to try again.
        return JsonResponse({"error": "the account could not be created, try again"}, status=502)
    logger.info("new account %s", account["id"])

    # The mail service is slow: send the email in the background, don't keep the user waiting.
    # TODO: who holds on to this task until it is done, and who hears about it if it fails?
    asyncio.create_task(send_welcome_email(account))
    return JsonResponse(account, status=201)
