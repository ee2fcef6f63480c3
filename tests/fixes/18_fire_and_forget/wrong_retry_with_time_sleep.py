"""Wrong: holds each task, lets it go and logs a failure, but first retries a failed email
twice after a time.sleep(0.05): short naps, but taken on the event loop's thread, where they
stop every request the server is serving. (Only the house rules see it: the loop held.)"""

import asyncio
import json
import logging
import time

import httpx
from django.http import JsonResponse

ACCOUNT_SERVICE = "http://accounts.example/users"
MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)
_running = set()


async def send_welcome_email(account):
    for attempt in range(3):
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.post(
                    MAIL_SERVICE,
                    json={"to": account["email"], "template": "welcome", "name": account["name"]},
                )
            response.raise_for_status()
            return response.json()["id"]
        except (httpx.HTTPError, ValueError):
            if attempt == 2:
                logger.exception("could not send the welcome email to %s", account["email"])
                return None
            time.sleep(0.05)


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
